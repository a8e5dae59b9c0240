import Fluent
import SQLKit
import Vapor

/// Liveness, readiness, metrics and the stylesheet.
struct OperationsController {
    let stylesheet: String
    let script: String

    init() {
        do {
            stylesheet = try BundledResource.text("site", "css", in: "Resources/Public")
            script = try BundledResource.text("site", "js", in: "Resources/Public")
        } catch { fatalError("\(error)") }
    }

    func register(_ routes: any RoutesBuilder) {
        // Plain text, no database: the baseline route for benchmarks.
        routes.get(.livez) { _ in "ok" }
        routes.get(.healthz, use: healthz)
        routes.get(.metrics, use: metrics)
        Self.asset(routes, .stylesheet, stylesheet, subType: "css")
        Self.asset(routes, .script, script, subType: "javascript")
    }

    /// A text file of the bundle served from memory, cached by browsers for an hour.
    static func asset(_ routes: any RoutesBuilder, _ url: SiteURL, _ text: String, subType: String) {
        routes.get(url) { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: subType, parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(string: text))
        }
    }

    /// 200 only when the database answers a query.
    @Sendable func healthz(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            _ = try await sql.raw("SELECT 1 AS ok").first()
            return Response(status: .ok, body: .init(string: "ok"))
        } catch {
            req.logger.error("health check failed: the database does not answer", metadata: ["error": "\(String(reflecting: error))"])
            return Response(status: .serviceUnavailable, body: .init(string: "database unavailable"))
        }
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: req.application.metrics.exposition()))
    }
}

/// Answers errors as pages in the user's language (or JSON for the API), never leaking internals.
/// An error whose message is an interface string with arguments ("Enter a year from {0} to {1}."): the error page
/// fills them in. A plain `Abort` whose reason is a key suits only messages that take no arguments.
struct MessageError: AbortError {
    var status: HTTPStatus
    var key: String
    var arguments: [String] = []
    var reason: String { key }
}

/// The value of a field the form itself fills in (a hidden yes/no, a button's value): one of the two it offers,
/// or a 400 that names the field. Never read as "no" because it is something else.
enum FormFlag {
    static func read(_ value: String?, field: String, yes: String, no: String) throws -> Bool {
        switch value {
        case yes: return true
        case no: return false
        default: throw MessageError(status: .badRequest, key: "error.choice.field", arguments: [field])
        }
    }
}

struct SiteErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPStatus
            var reason: String? = nil
            // Vapor makes a decoding error an AbortError whose reason is Swift's text for developers; people and
            // scripts get the field and what it should hold instead.
            if let decoding = error as? DecodingError {
                return try Self.unreadable(decoding, request)
            }
            if let abort = error as? any AbortError {
                status = abort.status
                reason = abort.reason
            } else if error is DecodingError {
                // Swift's own decoding message is for developers; users get the page for a bad request.
                status = .badRequest
                reason = "error.decoding"
            } else {
                status = .internalServerError
            }
            if status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": .string(request.url.path)])
            }
            let t = request.t
            // Message keys become text in the user's language; other reasons are shown only below 500.
            var message: String? = nil
            if let m = error as? MessageError {
                message = t(m.key, args: m.arguments)
            } else if let reason, status.code < 500 {
                message = reason.hasPrefix("error.") ? t(reason) : (reason == status.reasonPhrase || reason == "csrf" ? nil : reason)
            }
            if request.url.path.hasPrefix("/api/") {
                struct Body: Content { var error: Inner; struct Inner: Content { var status: Int; var message: String } }
                let text = message ?? (reason == "csrf" ? t("error.csrf") : status.reasonPhrase)
                let response = Response(status: status)
                try response.content.encode(Body(error: .init(status: Int(status.code), message: text)))
                if status == .unauthorized { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
                return response
            }
            if status == .unauthorized, request.method == .GET {
                let back = request.url.query.map { "\(request.url.path)?\($0)" } ?? request.url.path
                let encoded = back.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/"
                return request.redirect(to: SiteURL.signIn.path + "?return_to=" + encoded)
            }
            return ErrorViews.page(request.page(), status: status, message: reason == "csrf" ? t("error.csrf") : message)
        }
    }
}

extension SiteErrorMiddleware {
    /// A body that could not be read: 400, naming the field and what it should hold (the API), or the page for a
    /// bad request with the same words (a form).
    static func unreadable(_ error: DecodingError, _ request: Request) throws -> Response {
        let t = request.t
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type, is Substring.Type: return t("decoding.text")
            case is Int.Type, is Int64.Type, is UInt.Type: return t("decoding.whole")
            case is Double.Type, is Float.Type: return t("decoding.number")
            case is Bool.Type: return t("decoding.boolean")
            default:
                let name = String(describing: type)
                if name.hasPrefix("Array") || name.hasPrefix("[") { return t("decoding.list") }
                return t("decoding.object")
            }
        }
        var field = ""
        let message: String
        switch error {
        case .typeMismatch(let type, let c):
            field = path(c.codingPath)
            message = t("error.decoding.type", field, kind(type))
        case .valueNotFound(let type, let c):
            field = path(c.codingPath)
            message = t("error.decoding.type", field, kind(type))
        case .keyNotFound(let key, let c):
            field = path(c.codingPath + [key])
            message = t("error.decoding.missing", field)
        case .dataCorrupted(let c):
            field = path(c.codingPath)
            message = field.isEmpty ? t("error.decoding.body") : t("error.decoding.value", field)
        @unknown default:
            message = t("error.decoding")
        }
        if request.url.path.hasPrefix("/api/") {
            struct Body: Content {
                var error: Inner
                struct Inner: Content { var status: Int; var message: String; var fields: [String: String] }
            }
            let response = Response(status: .badRequest)
            try response.content.encode(Body(error: .init(status: 400, message: message,
                                                          fields: field.isEmpty ? [:] : [field: message])))
            return response
        }
        return ErrorViews.page(request.page(), status: .badRequest, message: message + " " + t("error.decoding.again"))
    }
}

enum ErrorViews {
    static func page(_ ctx: PageContext, status: HTTPStatus, message: String?) -> Response {
        let t = ctx.t
        let known: Set<UInt> = [400, 401, 403, 404, 409, 410, 413, 422, 429, 500, 503]
        let code = known.contains(status.code) ? status.code : (status.code >= 500 ? 500 : 400)
        let main: HTML = """
        <h1>\(t("error.\(code).title"))</h1>
        <p>\(message ?? t("error.\(code).text"))</p>
        <p><a href="/">\(t("error.home"))</a></p>
        """
        return Layout.page(ctx, title: t("error.\(code).title"), main: main, status: status)
    }
}
