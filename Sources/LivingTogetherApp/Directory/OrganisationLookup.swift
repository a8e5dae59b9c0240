import Fluent
import LivingTogetherCore
import Vapor

/// Organisations as people type them in a form: a name as the directory writes it (case and accents do not matter),
/// or "Name (CC)" to choose the country; the most populous first. Plan partners, programme participants and
/// learning-network members are all named this way.
enum OrganisationLookup {
    static func candidates(_ typed: String, kind: OrganisationKind? = nil, limit: Int = 6, on db: any Database) async throws -> [Organisation] {
        var name = typed.trimmingWhitespace(), country: String? = nil
        if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
            let code = name[name.index(after: open)..<name.index(before: name.endIndex)]
            if code.count == 2 { country = code.uppercased(); name = String(name[..<open]).trimmingWhitespace() }
        }
        guard !name.isEmpty else { return [] }
        var q = Organisation.query(on: db).filter(\.$searchName == SearchText.fold(name))
        if let kind { q = q.filter(\.$kind == kind.rawValue) }
        if let country { q = q.filter(\.$country == country) }
        return try await q.sort(\.$population, .descending).limit(limit).all()
    }
}
