import Foundation
import Testing
import TestSupport
@testable import Layouts

/// layouts/schema.json must describe exactly the fields the decoder reads.
@Suite struct SchemaTests {
    func schemaProperties(_ definition: String) throws -> Set<String> {
        let tree = try JSONParser.parse(Array(try String(contentsOfFile: Paths.shipped("schema.json"), encoding: .utf8).utf8))
        let properties = try #require(tree["$defs"]?[definition]?["properties"]?.members)
        return Set(properties.map(\.key))
    }

    @Test func schemaMatchesDecoder() throws {
        #expect(try schemaProperties("panel") == DecodeContext.lookoutPanelKeys)
        #expect(try schemaProperties("dashboard") == DecodeContext.lookoutDashboardKeys)
        #expect(try schemaProperties("target") == DecodeContext.lookoutTargetKeys)
        let panelTypes = Set(DecodeContext.lookoutTypes.keys)
        let root = try JSONParser.parse(Array(try String(contentsOfFile: Paths.shipped("schema.json"), encoding: .utf8).utf8))
        let enumNodes = try #require(root["$defs"]?["panel"]?["properties"]?["type"]?["enum"]?.elements)
        #expect(Set(enumNodes.compactMap(\.string)) == panelTypes)
    }

    static let python = Tools.python(with: "jsonschema")

    static var pythonJSONSchema: Bool { python != nil }

    static func run(_ arguments: [String]) -> Int32 {
        guard let python else { return -1 }
        return (try? Spawn.run(python, arguments, captureOutput: false).status) ?? -1
    }

    /// Every shipped layout and both design dashboards validate against the schema (with python's jsonschema).
    @Test(.enabled(if: Tools.gate(pythonJSONSchema, "python3 with jsonschema", for: "SchemaTests")))
    func layoutsValidateAgainstSchema() {
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        bad = [f for f in sys.argv[2:] if list(v.iter_errors(json.load(open(f))))]
        sys.exit(1 if bad else 0)
        """
        let files = ["executive.json", "technical.json", "slo.json"].map(Paths.shipped)
            + ["design-executive.json", "design-technical.json"].map(Paths.fixture)
        #expect(Self.run(["-c", script, Paths.shipped("schema.json")] + files) == 0)
        // And the schema does reject a mistake.
        #expect(Self.run(["-c", script, Paths.shipped("schema.json"), Paths.fixture("grafana-all-panels.json")]) == 1)
    }
}
