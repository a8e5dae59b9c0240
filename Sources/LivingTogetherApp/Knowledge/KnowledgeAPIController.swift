import Fluent
import LivingTogetherCore
import Vapor

/// The library through the API: the search with the page's filters, and each published record whole.
struct KnowledgeAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get("practices", use: search)
        api.get("practices", ":slug", use: practice)
    }

    struct Hit: Content {
        var id: String; var kind: String; var title: LocalizedText; var summary: LocalizedText; var organisations: [String]
        var country: String; var score: Double; var url: String
    }
    struct SearchPage: Content { var items: [Hit]; var page: Int; var per_page: Int; var total: Int }
    struct RecordDTO: Content {
        var id: String; var status: String; var last_verified: String?; var stale: Bool; var url: String; var record: Practice
    }

    @Sendable func search(req: Request) async throws -> SearchPage {
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        let query = KnowledgeController.query(req)
        let page = snapshot.index.search(query, language: req.language.rawValue)
        let items = page.hits.compactMap { hit -> Hit? in
            guard let (row, p) = snapshot.rows[hit.entry.id] else { return nil }
            return Hit(id: row.slug, kind: p.kind.rawValue, title: p.title, summary: p.summary, organisations: p.organisations,
                       country: p.country, score: hit.score, url: SiteURL.practice(row.slug).path)
        }
        return SearchPage(items: items, page: page.page, per_page: page.perPage, total: page.total)
    }

    @Sendable func practice(req: Request) async throws -> RecordDTO {
        let (row, p) = try await KnowledgeController.published(req)
        return RecordDTO(id: row.slug, status: row.status, last_verified: row.lastVerified,
                         stale: PracticeFreshness.isStale(lastVerified: row.lastVerified.flatMap { Day($0) }, today: Day.today),
                         url: SiteURL.practice(row.slug).path, record: p)
    }
}
