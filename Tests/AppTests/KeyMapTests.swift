import App
import TerminalBackend
import Testing

@Suite struct KeyMapTests {
    @Test(arguments: [
        (Key.character("q"), Command.quit), (.control("c"), .quit), (.character("?"), .toggleHelp),
        (.tab, .nextLayout), (.backTab, .previousLayout), (.character("3"), .selectLayout(2)),
        (.character("p"), .togglePause), (.character("r"), .refresh), (.character("+"), .widenRange),
        (.character("-"), .narrowRange), (.character("h"), .move(.left)), (.character("j"), .move(.down)),
        (.character("k"), .move(.up)), (.character("l"), .move(.right)), (.up, .move(.up)),
        (.enter, .toggleZoom), (.character("f"), .toggleZoom), (.escape, .back), (.character("t"), .toggleTargets),
        (.character("a"), .toggleAlerts), (.character("s"), .nextScenario), (.character("v"), .cycleVariable),
        (.character("c"), .toggleCursor), (.character("H"), .cursorStep(-10)), (.character("L"), .cursorStep(10)),
        (.character("["), .pan(-1)), (.character("]"), .pan(1)), (.character("{"), .jumpMarker(-1)),
        (.character("}"), .jumpMarker(1)), (.character("0"), .goLive), (.home, .goLive),
        (.character("e"), .toggleInspector), (.character("y"), .copyExpression), (.character(":"), .openPrompt(.query)),
        (.character("/"), .openPrompt(.filter)), (.character("x"), .toggleSeries), (.character("o"), .sortByValue),
    ])
    func keysMapToCommands(key: Key, command: Command) {
        #expect(KeyMap.command(for: key) == command)
    }

    @Test func unknownKeysDoNothing() {
        #expect(KeyMap.command(for: .character("!")) == nil)
        #expect(KeyMap.command(for: .character("w")) == nil)
        #expect(KeyMap.command(for: .function(5)) == nil)
    }

    @Test func ctrlCSignalQuitsAndMouseMapsToClicks() {
        #expect(KeyMap.command(for: InputEvent.signal(.interrupt)) == .quit)
        #expect(KeyMap.command(for: InputEvent.signal(.terminate)) == nil)
        #expect(KeyMap.command(for: InputEvent.mouse(MouseEvent(x: 3, y: 4, kind: .doubleClick))) == .doubleClick(x: 3, y: 4))
        #expect(KeyMap.command(for: InputEvent.mouse(MouseEvent(x: 3, y: 4, kind: .wheelUp))) == .wheel(-1))
        #expect(KeyMap.command(for: InputEvent.mouse(MouseEvent(x: 3, y: 4, kind: .wheelDown))) == .wheel(1))
        #expect(KeyMap.command(for: InputEvent.mouse(MouseEvent(x: 3, y: 4, kind: .press))) == .press(x: 3, y: 4))
        #expect(KeyMap.command(for: InputEvent.mouse(MouseEvent(x: 5, y: 4, kind: .release))) == .release(x: 5, y: 4))
    }

    @Test func helpListsEveryKeyAndTheScenarioKeyOnlyInDemoMode() {
        let keys = KeyMap.helpEntries(demo: false).map(\.key).joined(separator: " ")
        for k in ["q", "?", "Tab", "1-9", "p", "r", "+", "Enter", "Esc", "t", "a", "v"] {
            #expect(keys.contains(k), "help lacks \(k)")
        }
        #expect(!KeyMap.helpEntries(demo: false).contains { $0.key == "s" })
        #expect(KeyMap.helpEntries(demo: true).contains { $0.key == "s" })
    }
}

@Suite struct TerminalPolicyTests {
    @Test func utf8FromCodesetOrLocaleName() {
        #expect(TerminalPolicy.isUTF8(codeset: "UTF-8", localeName: "C"))
        #expect(!TerminalPolicy.isUTF8(codeset: "ANSI_X3.4-1968", localeName: "C"))
        #expect(TerminalPolicy.isUTF8(codeset: "", localeName: "en_US.UTF-8"))
        #expect(TerminalPolicy.isUTF8(codeset: "", localeName: "C.utf8"))
        #expect(!TerminalPolicy.isUTF8(codeset: "ISO-8859-1", localeName: "de_DE.UTF-8"))
    }

    @Test func colourDepthFollowsModeNoColorAndTheTerminal() {
        #expect(TerminalPolicy.colorDepth(mode: .auto, noColor: nil, terminalColors: 256) == .palette256)
        #expect(TerminalPolicy.colorDepth(mode: .auto, noColor: nil, terminalColors: 8) == .eight)
        #expect(TerminalPolicy.colorDepth(mode: .auto, noColor: nil, terminalColors: 0) == ColorDepth.none)
        #expect(TerminalPolicy.colorDepth(mode: .auto, noColor: "1", terminalColors: 256) == ColorDepth.none)
        // An empty NO_COLOR does not count (no-color.org).
        #expect(TerminalPolicy.colorDepth(mode: .auto, noColor: "", terminalColors: 256) == .palette256)
        #expect(TerminalPolicy.colorDepth(mode: .always, noColor: "1", terminalColors: 256) == .palette256)
        #expect(TerminalPolicy.colorDepth(mode: .never, noColor: nil, terminalColors: 256) == ColorDepth.none)
    }

    @Test func streamsGetColourOnlyOnATerminal() {
        #expect(TerminalPolicy.streamColorDepth(mode: .auto, noColor: nil, isTerminal: false, term: "xterm") == ColorDepth.none)
        #expect(TerminalPolicy.streamColorDepth(mode: .auto, noColor: nil, isTerminal: true, term: "xterm") == .palette256)
        #expect(TerminalPolicy.streamColorDepth(mode: .auto, noColor: nil, isTerminal: true, term: "dumb") == ColorDepth.none)
        #expect(TerminalPolicy.streamColorDepth(mode: .always, noColor: "1", isTerminal: false, term: nil) == .palette256)
    }

    @Test func paletteMapsTo256OrTheNearestOfEight() {
        #expect(Palette.number(for: .red, depth: .palette256) == 1)
        #expect(Palette.number(for: .indexed(208), depth: .palette256) == 208)
        #expect(Palette.number(for: .indexed(208), depth: .eight) == 3)  // orange → yellow
        #expect(Palette.number(for: .indexed(196), depth: .eight) == 1)  // bright red → red
        #expect(Palette.number(for: .indexed(9), depth: .eight) == 1)
        #expect(Palette.number(for: .indexed(250), depth: .eight) == 7)  // light grey → white
        #expect(Palette.number(for: .green, depth: ColorDepth.none) == -1)
        #expect(Palette.number(for: .default, depth: .palette256) == -1)
    }
}
