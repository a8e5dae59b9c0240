import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Vapor

extension Application {
    /// The fixture persona as the use cases see a signed-in person (roles and organisation kinds read from the database).
    func currentUser(_ persona: Persona) async throws -> CurrentUser {
        let p = world.person(persona)
        guard let user = try await User.find(p.id, on: db) else { throw TestSetupError("no user for \(persona)") }
        let memberships = try await Membership.query(on: db).filter(\.$user.$id == p.id).with(\.$organisation).all()
        var roles: [Int: Role] = [:], kinds: [Int: OrganisationKind] = [:]
        for m in memberships {
            roles[m.$organisation.id] = Role(rawValue: m.role) ?? .viewer
            kinds[m.$organisation.id] = OrganisationKind(rawValue: m.organisation.kind) ?? .municipality
        }
        return CurrentUser(id: p.id, email: p.email, name: p.name, isPlatformAdmin: user.isPlatformAdmin, language: nil, roles: roles, kinds: kinds,
                           sessionKeyHash: nil)
    }

    /// The shipped catalogue as `PlanStore.syncShipped` stores it: a draft that no organisation publishes yet.
    func shippedCatalogue() async throws -> CatalogueVersion {
        try await PlanStore.syncShipped(on: db, logger: logger)
        guard let row = try await CatalogueVersion.query(on: db).filter(\.$catalogueKey == "plan-living-together").filter(\.$version == 1).first() else {
            throw TestSetupError("the shipped catalogue was not stored")
        }
        return row
    }

    /// A catalogue version with the shipped catalogue's content under a new key (so that tests can make as many as they
    /// need), published (by default) by organisation C.
    @discardableResult
    func makeCatalogue(publisher: Int? = nil, status: CatalogueStatus = .published, key: String? = nil) async throws -> CatalogueVersion {
        _ = try await shippedCatalogue()
        guard let url = Catalogues.url(of: "plan-living-together.v1"),
              case .success(var c) = CatalogueLoader.load(try Data(contentsOf: url), file: url.lastPathComponent) else {
            throw TestSetupError("the shipped catalogue cannot be read")
        }
        c.id = key ?? "living-together-\(UUID().uuidString.prefix(8).lowercased())"
        // The shipped plan ran 2022–2025; a catalogue that takes requests needs a period that runs today.
        c.period.start = "2024-01-01"; c.period.end = "\(Day.today.year + 3)-12-31"
        let row = CatalogueVersion(key: c.id, version: c.version, content: try PlanStore.encode(c), publisher: publisher ?? world.orgC, uploadedBy: nil)
        row.status = status.rawValue
        if status != .draft { row.publishedAt = Date() }
        if status == .withdrawn { row.withdrawnAt = Date() }
        try await row.create(on: db)
        try await PlanStore.bump(on: db)
        return row
    }

    /// A request of a municipality (by its editor) for actions of a catalogue (a new published one of C when none is given).
    @discardableResult
    func makeRequest(organisation: Int? = nil, catalogue: CatalogueVersion? = nil, actions: [String] = ["guidance-to-work"],
                     by persona: Persona = .editorA) async throws -> UptakeRequest {
        let row: CatalogueVersion
        if let catalogue { row = catalogue } else { row = try await makeCatalogue() }
        guard let org = try await Organisation.find(organisation ?? world.orgA, on: db) else { throw TestSetupError("no such organisation") }
        let result = try await PlanUseCases.createRequest(organisation: org, catalogueRow: row, selected: actions.map { (actionID: $0, budget: "10000") },
                                                          motivation: "We want to take these up.", by: try await currentUser(persona), on: db, plans: plans)
        switch result {
        case .success(let r): return r
        case .failure(let e): throw TestSetupError("the request was refused: \(e)")
        }
    }

    /// The coordinator (persona `coordinator`) decides on one action of a request.
    func decideRequest(_ request: UptakeRequest, action: String, _ decision: UptakeDecision, comment: String = "Please lower the budget.") async throws {
        if case .failure(let e) = try await PlanUseCases.decide(request, actionID: action, decision: decision, comment: comment,
                                                               by: try await currentUser(.coordinator), on: db, plans: plans) {
            throw TestSetupError("the decision was refused: \(e)")
        }
    }

    /// An own action in a municipality's plan (organisation A by default), with an indicator counting persons
    /// and the given partners; the plan is published or not as asked.
    @discardableResult
    func makePlanAction(organisation: Int? = nil, published: Bool = false, partners: [Int] = [], indicator: Bool = true,
                        title: String = "Language cafés") async throws -> PlanAction {
        let orgID = organisation ?? world.orgA
        var input = PlanActionInput()
        input.title = title
        input.goals = "More people practise Dutch."
        input.start = "2025-01-01"
        input.end = "2026-12-31"
        input.budget = "5000"
        input.status = "running"
        let a: PlanAction
        switch try await PlanUseCases.createAction(organisation: orgID, input: input, gap: nil, on: db) {
        case .success(let made): a = made
        case .failure(let e): throw TestSetupError("the action was refused: \(e)")
        }
        for p in partners {
            if let e = try await PlanUseCases.addPartner(a, organisation: p, on: db) { throw TestSetupError("the partner was refused: \(e)") }
        }
        if indicator {
            var i = IndicatorInput()
            i.name = "Persons guided"; i.unit = "person"; i.scale = "count"; i.direction = "increase"; i.baseline = "0"; i.target = "100"
            i.howMeasured = "Attendance lists"
            if case .failure(let e) = try await PlanUseCases.addIndicator(a, input: i, on: db) { throw TestSetupError("the indicator was refused: \(e)") }
        }
        try await PlanUseCases.setPublished(try await PlanUseCases.plan(of: orgID, on: db), published, on: db)
        return a
    }

    /// A value reported by `reporter` (a partner of the new action, or organisation A) on a new action of A. Returns its id.
    func makeValue(reporter: Int) async throws -> Int {
        let a = try await makePlanAction(partners: reporter == world.orgA ? [] : [reporter])
        let v = IndicatorValueRow()
        v.$indicator.id = try await firstIndicator(of: a).requireID()
        v.$reporter.id = reporter
        v.day = "2026-01-15"
        v.value = 12
        v.note = ""
        try await v.create(on: db)
        return try v.requireID()
    }

    /// The first indicator of a plan action.
    func firstIndicator(of action: PlanAction) async throws -> PlanIndicator {
        guard let i = try await PlanIndicator.query(on: db).filter(\.$action.$id == action.requireID()).sort(\.$id).first() else {
            throw TestSetupError("the action has no indicator")
        }
        return i
    }

    /// A small valid catalogue document, as JSON, with the given id and version.
    static func catalogueJSON(id: String, version: Int = 1) -> [String: any Sendable] {
        func text(_ s: String) -> [String: String] { ["en": s, "nl": "NL \(s)"] }
        let indicator: [String: any Sendable] = ["id": "people-reached", "name": text("People reached"), "unit": ["en": "person", "nl": "persoon"],
                                                 "direction": "increase", "target": 50, "howMeasured": text("Lists")]
        let action: [String: any Sendable] = ["id": "meeting-places", "title": text("Meeting places"), "description": text("Places to meet"),
                                              "targetGroups": [text("Newcomers")], "contentPartners": [String](), "mentorMunicipalities": [String](),
                                              "indicators": [indicator]]
        return [
            "id": id, "version": version, "title": text("Walk \(id)"), "summary": text("A summary"),
            "period": ["start": "2025-01-01", "end": "2027-12-31"], "licence": "CC BY 4.0", "sources": [["title": "Test source"]],
            "objectives": [["id": "meet", "title": text("Meet"), "description": text("Meeting"), "actions": [action]] as [String: any Sendable]],
        ]
    }
}
