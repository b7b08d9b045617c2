import Testing
@testable import Layouts

@Suite struct JSONParserTests {
    @Test func valuesAndPositions() throws {
        let text = "{\"a\": [1, -2.5e1, true, null], \"b\": \"x\\ny\\u00e9\\ud83d\\ude00\"}"
        let root = try JSONParser.parse(Array(text.utf8))
        #expect(root["a"]?.elements?.map(\.value) == [.number(1), .number(-25), .bool(true), .null])
        #expect(root["b"]?.string == "x\nyé😀")
        #expect(root["b"]?.start == 36)
        #expect(root["a"]?.elements?[1].start == 10)
    }

    /// Each malformed input with the exact message and position printed.
    @Test(arguments: [
        ("", "x.json:1:1: error: expected a value, found end of file"),
        ("{\"a\": 1,}", "x.json:1:9: error: trailing comma before '}'"),
        ("[1, 2,]", "x.json:1:7: error: trailing comma before ']'"),
        ("{\n  \"a\": 1\n  \"b\": 2\n}", "x.json:3:3: error: expected ',' or '}' after member \"a\", found '\"'"),
        ("{'a': 1}", "x.json:1:2: error: expected a member name in double quotes, found '''"),
        ("{\"a\" 1}", "x.json:1:6: error: expected ':' after member name \"a\", found '1'"),
        ("{\"a\": tru}", "x.json:1:7: error: expected a value, found 'tru'"),
        ("{\"a\": 01}", "x.json:1:7: error: numbers must not have leading zeros"),
        ("{\"a\": \"x\ny\"}", "x.json:1:9: error: line break inside a string (write it as an escape such as \\n)"),
        ("{\"a\": \"\\q\"}", "x.json:1:8: error: invalid escape '\\q' in string"),
        ("{\"a\": \"open", "x.json:1:7: error: unterminated string"),
        ("{} {}", "x.json:1:4: error: unexpected '{' after the end of the document"),
        ("{\"é\": x}", "x.json:1:7: error: expected a value, found 'x'"),
        ("[1]", "x.json: (top level): error: expected an object at the top level, found an array"),
    ])
    func syntaxErrors(input: String, expected: String) {
        #expect(decodeError(input) == expected)
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(decodeError(deep) == "x.json:1:129: error: nesting deeper than 128 levels")
    }

    @Test func rawOffsetsStepOverEscapes() {
        // The string literal starts at offset 0; `\"` and `\u00e9` are longer in the file than decoded.
        let source = SourceText(#""a\"b\u00e9c""#)
        #expect(source.rawOffset(inStringAt: 0, decodedOffset: 0) == 1)
        #expect(source.rawOffset(inStringAt: 0, decodedOffset: 2) == 4)
        #expect(source.rawOffset(inStringAt: 0, decodedOffset: 5) == 11)
        #expect(source.lineColumn(of: 11) == (1, 12))
        #expect(SourceText("é\nab").lineColumn(of: 4) == (2, 2))
    }
}
