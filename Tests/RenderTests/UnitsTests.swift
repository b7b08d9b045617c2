import Testing
@testable import Render

@Suite struct UnitsTests {
    @Test(arguments: [
        (UnitFormat.seconds, 0.38, "380 ms"),
        (.seconds, 1.2, "1.2 s"),
        (.seconds, 1.14, "1.14 s"),
        (.seconds, 0.0004, "400 µs"),
        (.seconds, 0.9996, "1 s"),
        (.seconds, 90, "1.5 min"),
        (.seconds, 7200, "2 h"),
        (.seconds, 0, "0 s"),
        (.milliseconds, 380, "380 ms"),
        (.milliseconds, 1920, "1.92 s"),
        (.microseconds, 250, "250 µs"),
        (.percent, 0.82, "0.82 %"),
        (.percent, 99.5, "99.5 %"),
        (.percentUnit, 0.0486, "4.86 %"),
        (.percentUnit, 1, "100 %"),
        (.bytes, 1.9 * 1024 * 1024 * 1024, "1.9 GiB"),
        (.bytes, 512, "512 B"),
        (.bytes, 1536, "1.5 KiB"),
        (.reqps, 2410, "2.41k req/s"),
        (.reqps, 12, "12 req/s"),
        (.ops, 999.7, "1k ops/s"),
        (.short, 1_500_000, "1.5M"),
        (.short, 3.2e12, "3.2T"),
        (.none, 67.5, "67.5"),
        (.none, 0.3800000001, "0.38"),
        (.none, -4.123, "-4.12"),
        (.none, 123456, "123456"),
        (.custom("rpm"), 2500, "2.5k rpm"),
    ] as [(UnitFormat, Double, String)])
    func formatsWithThreeSignificantDigits(unit: UnitFormat, value: Double, expected: String) {
        #expect(unit.format(value) == expected)
    }

    @Test func decimalsOverrideKeepsTrailingZeros() {
        #expect(UnitFormat.percent.format(4.8612, decimals: 2) == "4.86 %")
        #expect(UnitFormat.none.format(3, decimals: 2) == "3.00")
        #expect(UnitFormat.none.format(0, decimals: 1) == "0.0")
        #expect(UnitFormat.seconds.format(0.38, decimals: 0) == "380 ms")
    }

    @Test func specialValuesAreNamed() {
        #expect(UnitFormat.seconds.format(.nan) == "NaN")
        #expect(UnitFormat.bytes.format(.infinity) == "+Inf")
        #expect(UnitFormat.percent.format(-.infinity) == "-Inf")
    }

    @Test func extremeValuesStayShortAndFinite() {
        let huge = UnitFormat.none.format(1e300)
        #expect(huge == "1e+300")
        #expect(UnitFormat.none.format(-2.5e-12) == "-2.5e-12")
        #expect(UnitFormat.short.format(Double.greatestFiniteMagnitude).count < 16)
        #expect(UnitFormat.bytes.format(-3 * 1024 * 1024) == "-3 MiB")
    }

    @Test func unitNamesFromLayouts() {
        #expect(UnitFormat(name: "s") == .seconds)
        #expect(UnitFormat(name: "µs") == .microseconds)
        #expect(UnitFormat(name: "us") == .microseconds)
        #expect(UnitFormat(name: "percentunit") == .percentUnit)
        #expect(UnitFormat(name: "reqps") == .reqps)
        #expect(UnitFormat(name: nil) == .none)
        #expect(UnitFormat(name: "widgets") == .custom("widgets"))
    }
}
