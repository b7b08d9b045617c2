import Foundation

extension Tools {
    /// The directory of the PostgreSQL server binaries (initdb, pg_ctl). Debian keeps them out of PATH,
    /// under /usr/lib/postgresql/VERSION/bin: `pg_config --bindir` names it; without pg_config, the
    /// newest installed version under /usr/lib/postgresql. Nil when no initdb is found.
    public static func postgresBinDirectory() -> String? {
        let fm = FileManager.default
        if let pgConfig = find("pg_config"),
           let result = try? Spawn.run(pgConfig, ["--bindir"], captureOutput: true), result.status == 0 {
            let dir = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if fm.isExecutableFile(atPath: dir + "/initdb") { return dir }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: root)) ?? [])
            .filter { fm.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
            .sorted { (Int($0) ?? 0, $0) > (Int($1) ?? 0, $1) }
        return versions.first.map { "\(root)/\($0)/bin" }
    }
}
