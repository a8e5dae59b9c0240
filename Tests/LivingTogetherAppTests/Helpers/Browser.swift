import Foundation
@testable import LivingTogetherApp
import Testing
import Vapor
import VaporTesting

/// A test browser: keeps cookies between requests (as a browser does, dropping expired ones) and sends
/// the CSRF token with every form it posts. Requests go through VaporTesting's in-memory tester.
final class Browser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    /// Sent as Accept-Language with every request, when set.
    var acceptLanguage: String?
    /// Send requests over a real socket to the app's server on a free local port, instead of in memory
    /// (where a body always arrives in one piece).
    var overTheNetwork = false

    init(_ app: Application, acceptLanguage: String? = nil) {
        self.app = app
        self.acceptLanguage = acceptLanguage
    }

    /// A browser signed in as the persona (anonymous: one that has only visited the sign-in page).
    static func signedIn(_ app: Application, as persona: Persona) async throws -> Browser {
        let b = Browser(app)
        if persona == .anonymous {
            _ = try await b.get("/sign-in")
        } else {
            let r = try await b.signIn(email: app.world.email(persona))
            guard r.status == .seeOther, b.cookies[SessionCookie.name] != nil else {
                throw TestSetupError("\(persona) could not sign in: \(r.status)")
            }
        }
        return b
    }

    var csrfToken: String? { cookies[CSRF.cookieName] }
    var sessionCookie: String? { cookies[SessionCookie.name] }

    func setCookie(_ name: String, _ value: String?) { cookies[name] = value }

    // MARK: requests

    enum CSRFMode { case fromCookie, none, wrong(String) }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    /// Posts a form (application/x-www-form-urlencoded) with the `_csrf` field (unless told otherwise).
    @discardableResult
    func post(_ path: String, _ form: [(String, String)] = [], csrf: CSRFMode = .fromCookie, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var fields = form
        switch csrf {
        case .fromCookie: if let token = csrfToken { fields.append((CSRF.fieldName, token)) }
        case .none: break
        case .wrong(let value): fields.append((CSRF.fieldName, value))
        }
        var h = headers
        h.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        return try await send(.POST, path, headers: h, body: ByteBuffer(string: FormEncoding.encode(fields)))
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var h = headers
        if !cookies.isEmpty {
            h.replaceOrAdd(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let acceptLanguage { h.replaceOrAdd(name: .acceptLanguage, value: acceptLanguage) }
        let tester = overTheNetwork ? try app.testing(method: .running(hostname: "127.0.0.1", port: 0)) : try app.testing()
        let response = try await tester.sendRequest(method, path, headers: h, body: body)
        for cookie in SetCookie.all(in: response.headers) {
            if cookie.isExpired { cookies[cookie.name] = nil } else { cookies[cookie.name] = cookie.value }
        }
        return response
    }

    // MARK: signing in

    /// Opens the sign-in page, reads the hidden `_csrf` field from its form, and posts the credentials.
    @discardableResult
    func signIn(email: String, password: String = FixtureWorld.password, returnTo: String? = nil) async throws -> TestingHTTPResponse {
        let page = try await get("/sign-in")
        guard let signInForm = HTMLText.form(action: "/sign-in", in: page.body.string),
              let field = HTMLText.hiddenValue(named: CSRF.fieldName, in: signInForm) else {
            throw TestSetupError("the sign-in page has no _csrf field")
        }
        var form = [("email", email), ("password", password)]
        if let returnTo { form.append(("return_to", returnTo)) }
        form.append((CSRF.fieldName, field))
        return try await post("/sign-in", form, csrf: .none)
    }

    /// Creates an API token on the account page and reads it from the page, where it is shown once.
    func createAPIToken(name: String = "test script") async throws -> String {
        let r = try await post("/account/tokens", [("name", name)])
        guard r.status == .created, let secret = HTMLText.first(#"<code class="secret">([^<]+)</code>"#, in: r.body.string) else {
            throw TestSetupError("token not created: \(r.status)")
        }
        return secret
    }
}

/// A JSON API client with an optional bearer token.
struct APIClient: Sendable {
    let app: Application
    var token: String?

    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, json: [String: any Sendable]? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer? = nil
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// A request whose body is a JSON text as written (a whole document).
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, text: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        headers.contentType = .json
        return try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(string: text))
    }
}

extension TestingHTTPResponse {
    /// The body parsed as a JSON object (or nil).
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.string.utf8))) as? [String: Any] }
    var jsonArray: [[String: Any]]? { (try? JSONSerialization.jsonObject(with: Data(body.string.utf8))) as? [[String: Any]] }
    var text: String { body.string }
    var location: String? { headers.first(name: .location) }
}

enum FormEncoding {
    static let allowed: CharacterSet = {
        var s = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        s.insert(charactersIn: "-._~")
        return s
    }()
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
}

/// One Set-Cookie header, read the way a browser reads it.
struct SetCookie: Sendable {
    var name: String
    var value: String
    /// Attribute names in lower case ("httponly", "secure", "samesite", "max-age", "expires", "path") with their values.
    var attributes: [String: String]

    var isHTTPOnly: Bool { attributes["httponly"] != nil }
    var isSecure: Bool { attributes["secure"] != nil }
    var sameSite: String? { attributes["samesite"] }
    var isExpired: Bool {
        if let maxAge = attributes["max-age"].flatMap(Int.init), maxAge <= 0 { return true }
        if let expires = attributes["expires"], expires.contains("1970") { return true }
        return value.isEmpty
    }

    static func all(in headers: HTTPHeaders) -> [SetCookie] {
        headers[.setCookie].compactMap(parse)
    }

    static func named(_ name: String, in headers: HTTPHeaders) -> SetCookie? {
        all(in: headers).last { $0.name == name }
    }

    static func parse(_ raw: String) -> SetCookie? {
        let parts = raw.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let eq = first.firstIndex(of: "=") else { return nil }
        var attributes: [String: String] = [:]
        for p in parts.dropFirst() {
            if let e = p.firstIndex(of: "=") {
                attributes[p[..<e].lowercased()] = String(p[p.index(after: e)...])
            } else {
                attributes[p.lowercased()] = ""
            }
        }
        return SetCookie(name: String(first[..<eq]), value: String(first[first.index(after: eq)...]), attributes: attributes)
    }
}

/// Small readers of the pages' markup.
enum HTMLText {
    /// The first capture group of the first match.
    static func first(_ pattern: String, in text: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }

    static func all(_ pattern: String, in text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            Range(m.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The markup of the first form posting to `action`.
    static func form(action: String, in html: String) -> String? {
        first(#"(<form method="post" action=""# + NSRegularExpression.escapedPattern(for: action) + #"".*?</form>)"#, in: html)
    }

    static func hiddenValue(named name: String, in html: String) -> String? {
        first(#"<input type="hidden" name=""# + NSRegularExpression.escapedPattern(for: name) + #"" value="([^"]*)">"#, in: html)
    }

    /// The error message shown beside a form field (`<p class="error" id="f-NAME-error">`), as read.
    static func fieldError(_ field: String, in html: String) -> String? {
        first(#"<p class="error" id="f-"# + NSRegularExpression.escapedPattern(for: field) + #"-error">([^<]*)</p>"#, in: html).map(unescape)
    }

    /// The value attribute of the input of a form field, as shown.
    static func fieldValue(_ field: String, in html: String) -> String? {
        first(#"<input id="f-"# + NSRegularExpression.escapedPattern(for: field) + #"" [^>]*?value="([^"]*)""#, in: html).map(unescape)
    }

    /// The names of the directory list's rows, in order.
    static func directoryNames(in html: String) -> [String] {
        all(#"<tr><th scope="row"><a href="/directory/\d+">([^<]*)</a>"#, in: html)
    }

    /// The `<h1>` of a page.
    static func heading(in html: String) -> String? { first(#"<h1>([^<]*)</h1>"#, in: html) }

    /// The text a person reads: tags removed, entities decoded, white space collapsed. (Markup that
    /// a page shows as text by mistake is removed too: assert on that separately.)
    static func plainText(_ html: String) -> String {
        func strip(_ s: String) -> String { s.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression) }
        return strip(unescape(strip(html))).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Undoes the page's escaping of &, <, >, " and '.
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
