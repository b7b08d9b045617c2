import Foundation
import Render
import TerminalBackend

/// The formats a frame is exported in (`lookout snapshot --format`, the `S` key).
public enum FrameFormat: String, Sendable, CaseIterable {
    /// Text with SGR colour escapes (256 colours).
    case ansi
    /// Plain text, no escapes.
    case text
    /// A self-contained HTML document (`<pre>` with inline styles).
    case html
    /// A self-contained SVG image.
    case svg

    public var fileExtension: String {
        switch self {
        case .ansi: return "ans"
        case .text: return "txt"
        case .html: return "html"
        case .svg: return "svg"
        }
    }

    /// What the composer may draw with for this format: HTML and SVG are UTF-8 documents with
    /// colours whatever the terminal; text and ANSI follow the locale.
    public func caps(localeIsUTF8: Bool) -> TerminalCaps {
        switch self {
        case .ansi: return TerminalCaps(unicode: localeIsUTF8, colors: 256)
        case .text: return TerminalCaps(unicode: localeIsUTF8, colors: 0)
        case .html, .svg: return TerminalCaps(unicode: true, colors: 256)
        }
    }

    public func encode(_ buffer: Buffer) -> String {
        switch self {
        case .ansi: return ANSIEncoder.encode(buffer, depth: .palette256)
        case .text: return ANSIEncoder.encode(buffer, depth: .none)
        case .html: return HTMLExporter.document(buffer)
        case .svg: return SVGExporter.document(buffer)
        }
    }
}
