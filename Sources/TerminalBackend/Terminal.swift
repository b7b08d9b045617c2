@preconcurrency import CNcursesw
import Render
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// The screen, through ncursesw. One per process, used from one thread (the event loop's).
/// It draws buffers (only the cells that changed, flushed once per frame), reads keys, mouse
/// clicks, resizes and termination signals, and always gives the terminal back in the state it found it.
public final class Terminal {
    public struct Options: Sendable {
        public var colorMode: ColorMode
        public var mouse: Bool

        public init(colorMode: ColorMode = .auto, mouse: Bool = true) {
            self.colorMode = colorMode
            self.mouse = mouse
        }
    }

    public let isUTF8: Bool
    public private(set) var colorDepth: ColorDepth
    public private(set) var width: Int
    public private(set) var height: Int
    /// Poke this from any thread to wake `waitForEvents`.
    public let wakePipe: WakePipe

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let signals: SignalWatcher
    private var previous: Buffer?
    private var encoder: FrameEncoder
    private var idleReadsOnReadyInput = 0
    private var closed = false

    public init(options: Options, facts: EnvironmentFacts) throws(TerminalError) {
        guard facts.stdinIsTerminal, facts.stdoutIsTerminal else {
            throw TerminalError(message: "standard input and output must be a terminal (use `lookout snapshot` for text output)")
        }
        guard let pipe = WakePipe() else { throw TerminalError(message: "cannot create a wake-up pipe") }
        wakePipe = pipe
        // Signals first: with SIGWINCH already taken, ncurses installs no handler of its own.
        signals = SignalWatcher(wake: { [pipe] in pipe.wake() })
        // Before curses changes the modes: a crash from here on gives the terminal back.
        CrashRestore.install(input: Platform.standardInput, output: Platform.standardOutput)
        guard let out = fdopen(Platform.standardOutput, "w"), let input = fdopen(Platform.standardInput, "r"),
              let scr = newterm(nil, out, input)
        else {
            CrashRestore.uninstall()
            signals.cancel()
            pipe.close()
            throw TerminalError(message: "cannot open the terminal (TERM=\(facts.term ?? "unset"))")
        }
        screen = scr
        guard let win = stdscr else {
            endwin()
            CrashRestore.uninstall()
            throw TerminalError(message: "curses gave no screen")
        }
        window = win
        isUTF8 = facts.isUTF8
        width = Int(getmaxx(win))
        height = Int(getmaxy(win))

        // COLORS is only known after start_color(), so colour starts first whenever it may be used;
        // never otherwise: once started, curses paints every cell in explicit colours.
        var available = 0
        let mayColor = TerminalPolicy.colorDepth(mode: options.colorMode, noColor: facts.noColor,
                                                 terminalColors: 256) != .none
        if mayColor && has_colors() && start_color() == OK {
            available = Int(COLORS)
        }
        colorDepth = TerminalPolicy.colorDepth(mode: options.colorMode, noColor: facts.noColor,
                                               terminalColors: available)
        if available == 0 { colorDepth = .none }
        guard let escapes = TerminfoEscapes.current() else {
            endwin()
            delscreen(scr)
            CrashRestore.uninstall()
            signals.cancel()
            pipe.close()
            throw TerminalError(message: "the terminal cannot move its cursor (TERM=\(facts.term ?? "unset"))")
        }
        // `.default` colours are left to the terminal after a reset: the user's own background.
        encoder = FrameEncoder(escapes: escapes, depth: colorDepth, unicode: facts.isUTF8)
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = keypad(win, true)
        _ = leaveok(win, true)
        _ = curs_set(0)
        _ = set_escdelay(25)
        // Reads never block inside curses; the kernel wait happens in `waitForEvents`.
        wtimeout(win, 0)
        // No typeahead check: curses otherwise polls the input between lines of an update, and
        // flushes what it has written before each poll, so one frame went out in a dozen writes.
        // The frame is small, and keys are read as soon as it is out.
        _ = typeahead(-1)
        if options.mouse {
            _ = mousemask(lk_button1_clicked() | lk_button1_double_clicked() | lk_button4_pressed() | lk_button5_pressed()
                          | lk_button1_pressed() | lk_button1_released(), nil)
        }
        // ncurses 6.4 writes out what it has at every cursor move until the screen has been
        // suspended once (it takes a screen never suspended for a low-level terminfo program), so a
        // frame went to the terminal in one `write` per changed run, about twenty. One suspend and
        // resume, as Ctrl-Z and `fg` do, and a frame goes out in one write. Nothing is drawn yet.
        _ = endwin()
        _ = wrefresh(win)
    }

    deinit { close() }

    /// Gives the terminal back: cursor visible, echo and line mode as before, colours reset.
    /// Safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        // Where curses leaves the cursor for the shell, whatever it believes of the screen (it did
        // not draw the frames).
        if height > 0 {
            var park: [UInt8] = []
            encoder.escapes.moveTo(height - 1, 0, &park)
            Platform.writeAll(Platform.standardOutput, park + encoder.escapes.reset)
        }
        _ = mousemask(0, nil)
        _ = curs_set(1)
        _ = endwin()
        CrashRestore.uninstall()
        delscreen(screen)
        signals.cancel()
        wakePipe.close()
    }

    /// Rings the terminal bell once.
    public func bell() { _ = beep() }

    /// Writes the cells of `buffer` that differ from the last frame, in one `write`.
    public func draw(_ buffer: Buffer) {
        guard !closed else { return }
        let bytes = encoder.encode(buffer, previous: previous)
        // What did not reach the terminal is not on it: the next frame repaints everything.
        if bytes.isEmpty || Platform.writeAll(Platform.standardOutput, bytes) {
            previous = buffer
        } else {
            invalidate()
        }
    }

    /// Forgets the last frame so that the next draw repaints everything (after a resize, or on demand).
    public func invalidate() {
        previous = nil
        encoder.forgetCursor()
    }

    /// Sleeps in the kernel until input, a wake-up, a signal or the timeout (-1: none), then
    /// returns everything that arrived. Never busy-waits.
    public func waitForEvents(timeoutMs: Int32) -> [InputEvent] {
        guard !closed else { return [.signal(.hangup)] }
        var events: [InputEvent] = []
        let stdin = Platform.standardInput
        let wakeFD = wakePipe.readDescriptor
        let ready = Platform.waitReadable([stdin, wakeFD], timeoutMs: timeoutMs)
        if ready.readable.contains(wakeFD) {
            wakePipe.drain()
            events.append(.wake)
        }
        let (termination, resized, resumed) = signals.take()
        if let termination { events.append(.signal(termination)) }
        if resumed { invalidate() }
        if resized || resumed, let e = applyResize() { events.append(e) }
        if ready.hungUp.contains(stdin) {
            // The terminal went away (an SSH connection dropped without SIGHUP reaching us).
            events.append(.signal(.hangup))
        } else if ready.readable.contains(stdin) {
            let keys = readAvailableInput()
            events += keys
            // Input that curses will not take must not turn the loop into a spin: back off a little.
            idleReadsOnReadyInput = keys.isEmpty ? idleReadsOnReadyInput + 1 : 0
            if idleReadsOnReadyInput > 3 { Platform.pause(milliseconds: 20) }
        }
        return events
    }

    // MARK: - Input

    private func readAvailableInput() -> [InputEvent] {
        var out: [InputEvent] = []
        // Bounded so that a flood of input cannot starve drawing.
        for _ in 0..<256 {
            var ch: wint_t = 0
            let status = wget_wch(window, &ch)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                let code = Int32(bitPattern: ch)
                if code == KEY_RESIZE {
                    if let e = applyResize() { out.append(e) }
                } else if code == KEY_MOUSE {
                    if let m = readMouse() { out.append(.mouse(m)) }
                } else {
                    out.append(.key(KeyDecoder.functionKey(code)))
                }
            } else {
                out.append(.key(KeyDecoder.character(UInt32(ch))))
            }
        }
        return out
    }

    private func readMouse() -> MouseEvent? {
        var ev = MEVENT()
        guard getmouse(&ev) == OK else { return nil }
        if ev.bstate & lk_button1_double_clicked() != 0 {
            return MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: .doubleClick)
        }
        if ev.bstate & lk_button1_clicked() != 0 {
            return MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: .click)
        }
        if ev.bstate & lk_button1_pressed() != 0 { return MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: .press) }
        if ev.bstate & lk_button1_released() != 0 { return MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: .release) }
        if ev.bstate & lk_button4_pressed() != 0 { return MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: .wheelUp) }
        if ev.bstate & lk_button5_pressed() != 0 { return MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: .wheelDown) }
        return nil
    }

    /// Re-reads the size from the kernel and tells curses; nil when nothing changed.
    private func applyResize() -> InputEvent? {
        if let size = Platform.windowSize(fd: Platform.standardOutput) {
            // resize_term, not resizeterm: the latter also queues a KEY_RESIZE, after which this
            // ncurses stopped delivering keys in non-blocking mode (seen in tmux 3.3a, ncurses 6.4).
            _ = resize_term(Int32(size.rows), Int32(size.columns))
        }
        let w = Int(getmaxx(window)), h = Int(getmaxy(window))
        guard w != width || h != height || previous == nil else { return nil }
        width = max(0, w)
        height = max(0, h)
        invalidate()
        return .resize(width: width, height: height)
    }
}
