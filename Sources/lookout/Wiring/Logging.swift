import App
import Foundation
import Logging

/// Logs go to a file only (`LOOKOUT_LOG=path`, level from `LOOKOUT_LOG_LEVEL`, default info), never
/// to the terminal the dashboard draws on.
enum LogSetup {
    static func bootstrap() -> Logger {
        let env = ProcessInfo.processInfo.environment
        let level = env["LOOKOUT_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        if let path = env["LOOKOUT_LOG"], !path.isEmpty, let sink = LogSink(path: path) {
            LoggingSystem.bootstrap { label in
                var handler = FileLogHandler(label: label, sink: sink)
                handler.logLevel = level
                return handler
            }
        } else {
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        }
        return Logger(label: "lookout")
    }
}
