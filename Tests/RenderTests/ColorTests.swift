import Testing
@testable import Render

@Suite struct ColorTests {
    @Test func namedColoursAndShades() {
        #expect(ColorName.resolve("red") == .red)
        #expect(ColorName.resolve("dark-green") == .green)
        #expect(ColorName.resolve("semi-dark-yellow") == .yellow)
        #expect(ColorName.resolve("light-orange") == .indexed(208))
        #expect(ColorName.resolve("purple") == .magenta)
        #expect(ColorName.resolve("no-such-colour") == .default)
    }

    @Test func hexGoesToTheNearestPaletteColour() {
        #expect(ColorName.resolve("#e02f44") == .red)  // Grafana's red
        #expect(ColorName.resolve("#73BF69") == .green)  // Grafana's green
        #expect(ColorName.resolve("#FADE2A") == .yellow)  // Grafana's yellow
        #expect(ColorName.resolve("#f00") == .red)
        #expect(ColorName.resolve("#zzzzzz") == .default)
    }

    @Test func thresholdStepsPickTheHighestReached() {
        let steps = [ThresholdStep(value: nil, color: .green), ThresholdStep(value: 70, color: .yellow),
                     ThresholdStep(value: 85, color: .red)]
        #expect(ThresholdColor.of(10, steps) == .green)
        #expect(ThresholdColor.of(70, steps) == .yellow)
        #expect(ThresholdColor.of(99, steps) == .red)
        #expect(ThresholdColor.of(.nan, steps) == nil)
        #expect(ThresholdColor.of(5, []) == nil)
        #expect(ThresholdStep(value: 1, colorName: "dark-red").color == .red)
    }

    @Test func indexedColoursDowngradeToTheEightBasicOnes() {
        #expect(Color.indexed(208).basic == .yellow)
        #expect(Color.indexed(196).basic == .red)
        #expect(Color.red.basic == .red)
        #expect(Color.indexed(250).basic == .white)
    }
}
