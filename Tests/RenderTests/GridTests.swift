import Testing
@testable import Render

@Suite struct GridTests {
    /// The seed's executive layout: stat 6×4 and graph 18×8 on top, two graphs 12×6 below.
    let executive = [
        GridItem(x: 0, y: 0, w: 6, h: 4), GridItem(x: 6, y: 0, w: 18, h: 8),
        GridItem(x: 0, y: 8, w: 12, h: 6), GridItem(x: 12, y: 8, w: 12, h: 6),
    ]

    @Test func gridColumnsScaleToTheWidthAndRowsToTheHeight() {
        let rects = layoutGrid(executive, in: Rect(x: 0, y: 1, width: 120, height: 28))
        // 14 grid rows over 28 lines: 2 lines per grid row; 24 columns over 120: 5 per column.
        #expect(rects == [
            Rect(x: 0, y: 1, width: 30, height: 8), Rect(x: 30, y: 1, width: 90, height: 16),
            Rect(x: 0, y: 17, width: 60, height: 12), Rect(x: 60, y: 17, width: 60, height: 12),
        ])
    }

    @Test func neighboursShareEdgesWithoutGapsOrOverlap() {
        let rects = layoutGrid(executive, in: Rect(x: 0, y: 0, width: 101, height: 37))
        #expect(rects[0].maxX == rects[1].x)
        #expect(rects[2].maxX == rects[3].x)
        #expect(rects[1].maxY == rects[2].y)
        #expect(rects[3].maxX == 101)
        #expect(rects[3].maxY == 37)
    }

    @Test func narrowTerminalsStackPanelsInReadingOrder() {
        let shuffled = [executive[3], executive[0], executive[2], executive[1]]
        let rects = layoutGrid(shuffled, in: Rect(x: 0, y: 0, width: 60, height: 24))
        // Reading order: (0,0), (6,0), (0,8), (12,8), i.e. shuffled indices 1, 3, 2, 0.
        #expect(rects.allSatisfy { $0.x == 0 && $0.width == 60 })
        #expect(rects[1].y == 0)
        #expect(rects[3].y == rects[1].maxY)
        #expect(rects[2].y == rects[3].maxY)
        #expect(rects[0].y == rects[2].maxY)
        #expect(rects[0].maxY == 24)
        #expect(rects.allSatisfy { $0.height >= 3 })
    }

    @Test func rowChildrenWithoutPositionsGoLeftToRight() {
        let items = [
            GridItem(isRow: true), GridItem(), GridItem(), GridItem(),
            GridItem(isRow: true), GridItem(), GridItem(),
        ]
        let rects = layoutGrid(items, in: Rect(x: 0, y: 0, width: 96, height: 34))
        #expect(rects[0] == Rect(x: 0, y: 0, width: 96, height: 1))
        #expect(rects[1] == Rect(x: 0, y: 1, width: 32, height: 16))
        #expect(rects[2] == Rect(x: 32, y: 1, width: 32, height: 16))
        #expect(rects[3] == Rect(x: 64, y: 1, width: 32, height: 16))
        #expect(rects[4] == Rect(x: 0, y: 17, width: 96, height: 1))
        #expect(rects[5] == Rect(x: 0, y: 18, width: 48, height: 16))
        #expect(rects[6] == Rect(x: 48, y: 18, width: 48, height: 16))
    }

    @Test func manyUnplacedPanelsWrapAfterFourPerLine() {
        let rects = layoutGrid(Array(repeating: GridItem(), count: 6), in: Rect(x: 0, y: 0, width: 96, height: 32))
        #expect(rects[3] == Rect(x: 72, y: 0, width: 24, height: 16))
        #expect(rects[4] == Rect(x: 0, y: 16, width: 48, height: 16))
        #expect(rects[5] == Rect(x: 48, y: 16, width: 48, height: 16))
    }

    @Test func badPositionsAreClampedAndTinyAreasGiveEmptyRects() {
        let odd = [GridItem(x: -5, y: -3, w: 100, h: 0), GridItem(x: 30, y: 2, w: -1, h: 99_999)]
        for width in [0, 1, 5, 79, 80, 200] {
            for height in [0, 1, 2, 50] {
                let area = Rect(x: 0, y: 0, width: width, height: height)
                let rects = layoutGrid(odd + executive, in: area)
                #expect(rects.count == 6)
                #expect(rects.allSatisfy { $0.isEmpty || area.intersection($0) == $0 })
            }
        }
        #expect(layoutGrid([], in: Rect(x: 0, y: 0, width: 80, height: 24)).isEmpty)
    }
}
