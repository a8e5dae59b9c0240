import LivingTogetherApp
import Logging
import Vapor

// The entry point: Vapor's command style (serve, migrate, import, export, create-admin).
var env = try Environment.detect()
if ProcessInfo.processInfo.environment["LOG_FORMAT"] == "json" {
    LoggingSystem.bootstrap { label in
        var handler = JSONLogHandler(label: label)
        handler.logLevel = (try? Logger.Level.detect(from: &env)) ?? .info
        return handler
    }
} else {
    try LoggingSystem.bootstrap(from: &env)
}
let app = try await Application.make(env)
do {
    try await configure(app)
    try await app.execute()
} catch let error as ExitCodeError {
    try? await app.asyncShutdown()
    exit(error.code)
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
