import CNcursesw

/// Curses key codes and characters → `Key`.
enum KeyDecoder {
    /// A plain character read with wget_wch (status OK).
    static func character(_ code: UInt32) -> Key {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(code + 96) ?? "?"))
        default:
            guard let scalar = Unicode.Scalar(code) else { return .unknown(Int32(bitPattern: code)) }
            return .character(Character(scalar))
        }
    }

    /// A function key code read with wget_wch (status KEY_CODE_YES). Resize and mouse are
    /// handled by the terminal before this is asked.
    static func functionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .function(Int(code - KEY_F0))
        default: return .unknown(code)
        }
    }
}
