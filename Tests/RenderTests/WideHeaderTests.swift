import Testing
@testable import Render

/// The header bar measures its pieces in cells: a wide (CJK, emoji) dashboard title is cut to what
/// is left beside the clock, on a character boundary, instead of running into it.
@Suite struct WideHeaderTests {
    func bar(_ title: String, width: Int) -> String {
        var buffer = Buffer(width: width, height: 1)
        BarLayout.draw(left: [BarPiece(text: "LOOKOUT", style: .plain, priority: 9, trailing: "  "),
                              BarPiece(text: title, style: .plain, priority: 8, cuttable: true)],
                       right: [BarPiece(text: "12:00:00", style: .plain, priority: 9)],
                       separator: " · ", inset: 1, in: Rect(x: 0, y: 0, width: width, height: 1),
                       into: &buffer, ellipsis: "…")
        return buffer.lines[0]
    }

    @Test func wideTitleIsCutBesideTheClock() {
        #expect(bar("监控仪表板生产环境", width: 40) == " LOOKOUT  监控仪表板生产环境   12:00:00 ")
        // 32 columns: the brand goes first; the 20-cell title then fits exactly.
        #expect(bar("监控仪表板生产环境🚀", width: 32) == " 监控仪表板生产环境🚀  12:00:00 ")
        // 30: the title is cut to 17 cells (8 wide characters and the ellipsis), the clock stays.
        #expect(bar("监控仪表板生产环境🚀", width: 30) == " 监控仪表板生产环…   12:00:00 ")
        for width in [30, 32, 40] {
            #expect(Sanitize.width(bar("监控仪表板生产环境🚀", width: width)) == width)
        }
    }
}
