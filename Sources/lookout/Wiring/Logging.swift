import App
import Foundation
import Logging

/// Logs go to a file only (`LOOKOUT_LOG=path`), never to the terminal the dashboard draws on.
enum LogSetup {
    static func bootstrap() -> Logger {
        let path = ProcessInfo.processInfo.environment["LOOKOUT_LOG"]
        if let path, !path.isEmpty, let sink = LogSink(path: path) {
            LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink) }
        } else {
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        }
        return Logger(label: "lookout")
    }
}
