import Foundation

/// Finds layout files. `--layout NAME` is looked up as `NAME.json` in each search folder in order;
/// `--layout PATH` (anything with a `/` or ending in `.json`) is taken as a file; with no `--layout`,
/// every layout of the first folder that has any, `executive` first, then alphabetical.
public struct LayoutLocator: Hashable, Sendable {
    /// Search folders, in order of preference.
    public var folders: [String]

    public init(folders: [String]) {
        self.folders = folders
    }

    /// The standard folders: `./layouts`, `$XDG_CONFIG_HOME/lookout/layouts` (default `~/.config`),
    /// and the installed share folder `<bin>/../share/lookout/layouts` next to the executable.
    public static func standardFolders(currentDirectory: String, environment: [String: String],
                                       executablePath: String?) -> [String] {
        var folders = [join(currentDirectory, "layouts")]
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            folders.append(join(xdg, "lookout/layouts"))
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(join(home, ".config/lookout/layouts"))
        }
        if let exe = executablePath, exe.contains("/") {
            let bin = (exe as NSString).deletingLastPathComponent
            let share = ((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/lookout/layouts")
            folders.append(share)
        }
        return folders
    }

    /// The locator for this process (its working folder, environment and executable).
    public static func forCurrentProcess() -> LayoutLocator {
        let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().path
        return LayoutLocator(folders: standardFolders(currentDirectory: FileManager.default.currentDirectoryPath,
                                                      environment: ProcessInfo.processInfo.environment,
                                                      executablePath: exe))
    }

    /// The file for one `--layout` argument.
    public func resolve(_ argument: String) throws(LayoutError) -> String {
        if argument.contains("/") || argument.hasSuffix(".json") {
            guard FileManager.default.fileExists(atPath: argument) else {
                throw LayoutError(.error, file: argument, at: .file, "no such layout file")
            }
            return argument
        }
        for folder in folders {
            let candidate = Self.join(folder, argument + ".json")
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw LayoutError(.error, file: argument, at: .file,
                          "no layout named \"\(argument)\" (looked for \(argument).json in \(folders.joined(separator: ", ")))")
    }

    /// The files for all `--layout` arguments, in order; none given means the default set.
    public func resolveAll(_ arguments: [String]) throws(LayoutError) -> [String] {
        if arguments.isEmpty {
            let found = defaultLayouts()
            guard !found.isEmpty else {
                throw LayoutError(.error, file: "--layout", at: .file,
                                  "no layouts found in \(folders.joined(separator: ", "))")
            }
            return found
        }
        var out: [String] = []
        for a in arguments { out.append(try resolve(a)) }
        return out
    }

    /// Every layout of the first folder that holds any: `executive.json` first, then alphabetical.
    public func defaultLayouts() -> [String] {
        for folder in folders {
            let files = Self.layoutFiles(in: folder)
            if !files.isEmpty { return files.map { Self.join(folder, $0) } }
        }
        return []
    }

    /// Layout file names of one folder; JSON Schemas (`schema.json`, `*.schema.json`) are not layouts.
    static func layoutFiles(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let layouts = names.filter {
            $0.hasSuffix(".json") && !$0.hasPrefix(".") && $0 != "schema.json" && !$0.hasSuffix(".schema.json")
        }
        return layouts.sorted { a, b in
            if (a == "executive.json") != (b == "executive.json") { return a == "executive.json" }
            return a < b
        }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
