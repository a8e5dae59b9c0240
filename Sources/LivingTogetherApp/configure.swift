import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import LivingTogetherCore
import Vapor

/// All wiring in one place: settings, database, middleware (in order), migrations, commands, routes.
public func configure(_ app: Application) async throws {
    let settings = Settings.fromEnvironment(app.environment)
    app.settings = settings
    app.storage[MetricsKey.self] = Metrics()
    app.storage[DirectoryIndexCacheKey.self] = DirectoryIndexCache()
    app.storage[BenchmarkStoreKey.self] = BenchmarkStore()
    app.storage[PlanStoreKey.self] = PlanStore()
    app.storage[ParticipationStoreKey.self] = ParticipationStore()

    // Database: SQLite in a file by default (WAL, foreign keys on); PostgreSQL when DATABASE_URL says so.
    switch settings.database {
    case .postgres(let url):
        var config = try SQLPostgresConfiguration(url: url)
        if url.contains("sslmode=disable") || !url.contains("sslmode") { config.coreConfiguration.tls = .disable }
        app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(10)), as: .psql)
    case .sqliteFile(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            app.logger.critical("Cannot create the data folder \(folder) for DATABASE_PATH=\(path): \(error)")
            throw error
        }
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace), as: .sqlite)
        app.lifecycle.use(SQLitePragmas())
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        app.lifecycle.use(SQLitePragmas())
    }

    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    app.routes.defaultMaxBodySize = "1mb"

    // Middleware, outermost first: metrics see every answer, security headers go on every answer
    // (error pages too), errors become pages, then the flash message and the CSRF check.
    app.middleware = Middlewares()
    app.middleware.use(MetricsMiddleware(metrics: app.metrics))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: app.environment == .production ? .debug : .info))
    app.middleware.use(SiteErrorMiddleware())
    app.middleware.use(FlashMiddleware())
    app.middleware.use(CSRFMiddleware())

    Migrations.register(on: app)

    // Operator commands.
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(RemindCommand(), as: "remind")

    // `serve` (the default command) migrates and loads the demo content into an empty database first.
    let arguments = app.environment.arguments
    if arguments.count < 2 || arguments[1] == "serve" || arguments[1].hasPrefix("-") {
        app.lifecycle.use(ServeStartup())
        app.lifecycle.use(KnowledgeReminderSchedule())
    }

    try routes(app)
}

func routes(_ app: Application) throws {
    // Operations and the API authenticate their own way; pages use the session cookie.
    OperationsController().register(app.routes)
    APIController().register(app.routes)
    let pages = app.routes.grouped(SessionAuthenticator())
    HomeController().register(pages)
    DirectoryController().register(pages)
    SignInController().register(pages)
    MembersController().register(pages)
    AccountController().register(pages)
    BenchmarkController().register(pages)
    PlanController().register(pages)
    MentoringController().register(pages)
    KnowledgeController().register(pages)
    EventController().register(pages)
    ParticipationController().register(pages)
}

/// WAL journal and foreign keys for SQLite, set on boot (and for an in-memory database, its one connection).
struct SQLitePragmas: LifecycleHandler {
    func willBootAsync(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA foreign_keys=ON").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
        try await sql.raw("PRAGMA busy_timeout=5000").run()
    }
}

struct ServeStartup: LifecycleHandler {
    func willBootAsync(_ app: Application) async throws {
        try await app.autoMigrate()
        try await BenchmarkStore.syncShipped(on: app.db, logger: app.logger)
        try await PlanStore.syncShipped(on: app.db, logger: app.logger)
        try await KnowledgeStore.syncShipped(on: app.db, logger: app.logger)
        try await EventUseCases.syncShipped(on: app.db, logger: app.logger)
        if app.settings.demoContent, let lines = try await DemoContent.loadIfEmpty(app) {
            print(lines.joined(separator: "\n"))
        }
        try await app.directoryIndex.rebuild(on: app.db)
        app.logger.notice("directory index ready", metadata: ["organisations": .stringConvertible(app.directoryIndex.current.count)])
    }
}

/// Headers every answer carries.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        // A session cookie that names no live session is dropped, whatever the answer.
        if request.storage[DropSessionCookieKey.self] == true, response.cookies[SessionCookie.name] == nil {
            response.cookies[SessionCookie.name] = .expired
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        if response.headers.contentType == .html {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
        }
        if request.isSecure {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
            // Behind TLS every cookie is Secure, whichever part of the app set it.
            for (name, var cookie) in response.cookies.all {
                cookie.isSecure = true
                response.cookies[name] = cookie
            }
        }
        return response
    }
}
