import LivingTogetherCore
import Vapor

/// What every API controller answers with: a body with 200 or 201 (and its Location), field errors named as the API
/// names its fields, and text read from whatever JSON type a client sends. (`invalid` turns field errors into a 422.)
extension APIController {
    static func created<T: Content>(_ body: T, location: String) throws -> Response {
        let response = Response(status: .created)
        try response.content.encode(body)
        response.headers.replaceOrAdd(name: .location, value: location)
        return response
    }

    static func ok<T: Content>(_ body: T) throws -> Response {
        let response = Response(status: .ok)
        try response.content.encode(body)
        return response
    }

    /// The use cases name fields as the forms do; the API names some of them after its own body fields.
    static func renamed(_ errors: FieldErrors, _ names: [String: String]) -> FieldErrors {
        var out = FieldErrors()
        out.add(errors) { names[$0] ?? $0 }
        return out
    }

    static func field(_ name: String, _ key: String, _ arguments: [String] = []) -> FieldErrors {
        var e = FieldErrors(); e.add(name, key, arguments); return e
    }

    /// Text that may arrive as a JSON string, number or boolean ("12 500", 12500, "12,5", 12.5; true reads as "yes",
    /// as a form's yes/no answer).
    struct FlexibleText: Codable, Sendable {
        var text: String
        var number: Double?

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { text = s; number = nil; return }
            if let b = try? c.decode(Bool.self) { text = b ? "yes" : "no"; number = nil; return }
            let d = try c.decode(Double.self)
            number = d
            text = Self.plain(d) ?? String(d)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(text)
        }

        static func plain(_ d: Double) -> String? { d.wholeNumber.map(String.init) }

        /// As a sum of money: a number is written with at most two decimals, so that 1234.567 is not read as 1.234.567.
        var money: String { number.map { Self.plain($0) ?? String(format: "%.2f", $0) } ?? text }
    }
}
