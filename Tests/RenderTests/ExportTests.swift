import Foundation
import Testing
import TestSupport
@testable import Render

/// HTML and SVG exports: exact output for a small frame, real validators on a full one, and hostile
/// text that must come out inert.
@Suite struct ExportTests {
    /// A 4×2 frame: a red bold "ab" on the default background, then a reversed "c".
    static func tiny() -> Buffer {
        var b = Buffer(width: 4, height: 2)
        b.setString(0, 0, "ab", style: Style(fg: .red, attributes: [.bold]))
        b.setString(2, 0, "c", style: Style(fg: .indexed(208), attributes: [.reverse]))
        b.setString(0, 1, "<&>", style: .plain)
        return b
    }

    @Test func htmlOfASmallFrame() {
        let html = HTMLExporter.document(Self.tiny())
        let body = html.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(4).map(String.init)
        #expect(body == [
            "<span style=\"color:#cd3131;font-weight:bold\">ab</span>"
                + "<span style=\"color:#121212;background:#ff8700\">c</span> ",
            "&lt;&amp;&gt; ",
            "</pre>",
            "</body></html>",
            "",
        ])
    }

    @Test func svgOfASmallFrame() {
        let svg = SVGExporter.document(Self.tiny())
        let lines = svg.split(separator: "\n").map(String.init)
        #expect(lines == [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"36\" height=\"36\" viewBox=\"0 0 36 36\">",
            "<title>lookout snapshot</title>",
            "<rect width=\"36\" height=\"36\" fill=\"#121212\"/>",
            "<g font-family=\"monospace\" font-size=\"15\" xml:space=\"preserve\">",
            "<rect x=\"18\" y=\"0\" width=\"9\" height=\"18\" fill=\"#ff8700\"/>",
            "<text x=\"0\" y=\"14\" fill=\"#cd3131\" textLength=\"18\" lengthAdjust=\"spacingAndGlyphs\" "
                + "font-weight=\"bold\">ab</text>",
            "<text x=\"18\" y=\"14\" fill=\"#121212\" textLength=\"9\" lengthAdjust=\"spacingAndGlyphs\">c</text>",
            "<text x=\"0\" y=\"32\" fill=\"#d0d0d0\" textLength=\"36\" lengthAdjust=\"spacingAndGlyphs\">&lt;&amp;&gt; </text>",
            "</g>",
            "</svg>",
        ])
    }

    @Test func palette() {
        #expect(ExportPalette.hex(.default) == nil)
        #expect(ExportPalette.hex(.indexed(16)) == "#000000")
        #expect(ExportPalette.hex(.indexed(196)) == "#ff0000")
        #expect(ExportPalette.hex(.indexed(245)) == "#8a8a8a")
        #expect(ExportPalette.hex(.green) == "#0dbc79")
    }

    @Test func markupEscapeReplacesControlsAndMarkup() {
        #expect(MarkupEscape.text("a<b>&\"'\u{1B}]0;x\u{07}\u{9B}\u{7F}z")
                == "a&lt;b&gt;&amp;&quot;&#39;\u{FFFD}]0;x\u{FFFD}\u{FFFD}\u{FFFD}z")
    }

    /// Hostile label values, written both through the sanitiser (as every widget does) and raw into
    /// cells (as if a widget forgot): neither may produce markup, a control character or a link.
    static let hostile = [
        "<script>alert(1)</script>", "\u{1B}]0;pwned\u{07}title", "javascript:alert(1)",
        "<a href=\"http://evil.example/x\">x</a>", "a & b \"q\" 'q'", "<img src=x onerror=alert(1)>",
        "url(http://evil.example/bg.png)", "]]><!--", "\u{9B}31mred",
    ]

    static func hostileFrame() -> Buffer {
        var b = Buffer(width: 60, height: hostile.count * 2)
        for (i, text) in hostile.enumerated() {
            b.setString(0, 2 * i, Sanitize.text(text), style: Style(fg: .indexed(UInt8(i * 20)), bg: .blue))
            for (x, ch) in text.enumerated() where x < b.width { b[x, 2 * i + 1] = Cell(ch, style: Style(fg: .red)) }
        }
        return b
    }

    /// No markup from the text and no control character, checked on the raw document text (the
    /// hostile text itself stays visible, escaped; `ExportValidators` checks the parsed structure).
    static func expectInert(_ doc: String, _ format: String) {
        let lower = doc.lowercased()
        for bad in ["<script", "<a ", "<img", "<!--", "]]>"] {
            #expect(!lower.contains(bad), "\(format) contains \(bad)")
        }
        #expect(!doc.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(format) holds a control character")
        #expect(!doc.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) }, "\(format) holds a C1 control")
    }

    @Test func hostileTextIsInertInBothFormats() {
        let frame = Self.hostileFrame()
        Self.expectInert(HTMLExporter.document(frame), "html")
        Self.expectInert(SVGExporter.document(frame), "svg")
    }

    @Test func validatorsAcceptBothFormats() throws {
        let frame = Self.hostileFrame()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-export-\(getpid())-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("f.svg"), html = dir.appendingPathComponent("f.html")
        try Data(SVGExporter.document(frame).utf8).write(to: svg)
        try Data(HTMLExporter.document(frame).utf8).write(to: html)
        try ExportValidators.expectValid(svg: svg.path, html: html.path)
    }
}

/// The real validators: xmllint for SVG (and the HTML's well-formedness), libxml2's HTML parser and
/// Python's html.parser for HTML (which also counts elements, so a smuggled tag is caught).
enum ExportValidators {
    static let xmllint = Tools.find("xmllint") ?? "xmllint"
    static let python = Tools.find("python3")

    /// A missing tool is a failure (the tests need libxml2-utils and python3; install-deps.sh --test).
    static func expectValid(svg: String, html: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: xmllint), "xmllint missing: apt install libxml2-utils")
        let svgCheck = try Spawn.run(xmllint, ["--noout", "--nonet", svg], captureOutput: true)
        #expect(svgCheck.status == 0, "xmllint rejects the SVG")
        let xhtmlCheck = try Spawn.run(xmllint, ["--noout", "--nonet", html], captureOutput: true)
        #expect(xhtmlCheck.status == 0, "the HTML is not well-formed XML")
        let htmlCheck = try Spawn.run(try Tools.path("sh"), ["-c", "'\(xmllint)' --html --noout --nonet '\(html)' 2>&1"],
                                      captureOutput: true)
        #expect(htmlCheck.status == 0 && htmlCheck.output.isEmpty, "libxml2's HTML parser: \(htmlCheck.output)")
        let python = try #require(python, "python3 missing")
        // The parsed structure: which elements and attributes exist, and how many attribute values
        // could load or run something (a URL, `url(`, `javascript:`); only ours may be there.
        let script = """
            import collections, html.parser, sys, xml.etree.ElementTree as ET
            risky = lambda v: any(k in (v or '').lower() for k in ('//', 'url(', 'javascript', 'data:'))
            class P(html.parser.HTMLParser):
                def __init__(self):
                    super().__init__(); self.tags = set(); self.attrs = set(); self.risky = 0
                def handle_starttag(self, tag, attrs):
                    self.tags.add(tag); self.attrs.update(a for a, _ in attrs)
                    self.risky += sum(risky(v) for _, v in attrs)
            p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); p.close()
            print('html', sorted(p.tags), sorted(p.attrs), p.risky)
            tags, attrs, n = set(), set(), 0
            for e in ET.parse(sys.argv[2]).iter():
                tags.add(e.tag.split('}')[-1]); attrs.update(k.split('}')[-1] for k in e.attrib)
                n += sum(risky(v) for v in e.attrib.values())
            print('svg', sorted(tags), sorted(attrs), n)
            """
        let parsed = try Spawn.run(python, ["-c", script, html, svg], captureOutput: true)
        #expect(parsed.status == 0)
        #expect(parsed.output == """
            html ['body', 'head', 'html', 'meta', 'pre', 'span', 'title'] ['charset', 'lang', 'style'] 0
            svg ['g', 'rect', 'svg', 'text', 'title'] ['fill', 'font-family', 'font-size', 'height', \
            'lengthAdjust', 'space', 'textLength', 'viewBox', 'width', 'x', 'y'] 0

            """)
    }
}
