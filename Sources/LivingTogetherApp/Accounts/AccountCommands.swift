import Fluent
import LivingTogetherCore
import Vapor

/// `livingtogether create-admin --email E [--name N]`: creates (or promotes) a platform administrator.
/// The password is read from ADMIN_PASSWORD, or asked for on a terminal, or else generated and printed once.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", short: "e", help: "The administrator's e-mail address")
        var email: String?
        @Option(name: "name", short: "n", help: "The administrator's name (default: the part of the address before @)")
        var name: String?
    }

    var help: String { "Creates a platform administrator, or makes an existing account one." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let email = AccountRules.normalisedEmail(signature.email ?? "")
        guard AccountRules.isValidEmail(email) else {
            context.console.error("--email needs a valid e-mail address, such as admin@example.org.")
            throw ExitCode(2)
        }
        let app = context.application
        try await app.autoMigrate()
        if let existing = try await User.query(on: app.db).filter(\.$email == email).first() {
            existing.isPlatformAdmin = true
            try await existing.save(on: app.db)
            context.console.info("\(email) already had an account; it is now a platform administrator (its password is unchanged).")
            return
        }
        var password = ProcessInfo.processInfo.environment["ADMIN_PASSWORD"] ?? ""
        var generated = false
        if password.isEmpty, isatty(STDIN_FILENO) == 1 {
            password = context.console.ask("Password for \(email) (empty: generate one)", isSecure: true)
        }
        if password.isEmpty { password = Tokens.random(bytes: 12); generated = true }
        var errors = FieldErrors()
        AccountRules.checkNewPassword(password, confirmation: nil, into: &errors)
        guard errors.isEmpty else {
            context.console.error("The password must have at least \(AccountRules.minimumPasswordLength) characters.")
            throw ExitCode(2)
        }
        let name = signature.name ?? String(email.split(separator: "@").first ?? "admin")
        let hash = try await app.password.async.hash(password)
        try await User(email: email, name: name, passwordHash: hash, isPlatformAdmin: true).create(on: app.db)
        context.console.info("Created platform administrator \(email).")
        if generated { context.console.info("Password (shown once): \(password)") }
    }
}

/// `livingtogether migrate`: brings the database schema up to date, without asking.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "Revert the last batch of migrations instead")
        var revert: Bool
    }
    var help: String { "Brings the database schema up to date (or, with --revert, undoes the last batch)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if signature.revert {
            try await app.migrator.setupIfNeeded().get()
            try await app.migrator.revertLastBatch().get()
            context.console.info("Reverted the last batch of migrations.")
        } else {
            try await app.migrator.setupIfNeeded().get()
            try await app.migrator.prepareBatch().get()
            context.console.info("The database is up to date.")
        }
    }
}
