import Fluent
import LivingTogetherCore
import Vapor

/// The plans part of /api/v1: catalogues (upload, publish, the coordinator's overview), uptake requests with
/// their decisions and revisions, and action plans with their actions, partners, indicators, values and updates.
/// Every write goes through `PlanUseCases`; every check of who may do what through `PlanPermissions`.
struct PlanAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get("catalogues", use: catalogues)
        api.post("catalogues", use: uploadCatalogue)
        api.get("catalogues", ":catalogueID", use: catalogue)
        api.post("catalogues", ":catalogueID", "status", use: setStatus)
        api.get("catalogues", ":catalogueID", "overview", use: overview)
        api.get("catalogues", ":catalogueID", "requests", use: catalogueRequests)
        api.get("organisations", ":id", "uptake-requests", use: organisationRequests)
        api.post("organisations", ":id", "uptake-requests", use: createRequest)
        api.get("uptake-requests", ":requestID", use: request)
        api.post("uptake-requests", ":requestID", "decisions", use: decide)
        api.post("uptake-requests", ":requestID", "revisions", use: revise)
        api.get("organisations", ":id", "plan", use: plan)
        api.patch("organisations", ":id", "plan", use: publishPlan)
        api.post("organisations", ":id", "plan", "actions", use: createAction)
        api.get("plan-actions", ":actionID", use: action)
        api.put("plan-actions", ":actionID", use: updateAction)
        api.post("plan-actions", ":actionID", "partners", use: addPartner)
        api.delete("plan-actions", ":actionID", "partners", ":partnerID", use: removePartner)
        api.delete("indicator-values", ":valueID", use: removeValue)
        api.post("plan-actions", ":actionID", "indicators", use: addIndicator)
        api.post("plan-actions", ":actionID", "updates", use: addUpdate)
        api.get("plan-indicators", ":indicatorID", "values", use: values)
        api.post("plan-indicators", ":indicatorID", "values", use: addValue)
    }

    // MARK: shared

    static func authorize(_ req: Request, _ action: PlanPermissions.Action) throws {
        if PlanPermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }

    static let coordinatingKinds: Set<OrganisationKind> = [.association, .agency, .network]

    /// The caller's first coordinating organisation (association, agency or network) where they are editor or administrator.
    static func coordinatingOrganisation(of req: Request) -> Int? {
        guard let user = req.currentUser else { return nil }
        return user.roles.filter { $0.value >= .editor && coordinatingKinds.contains(user.kinds[$0.key] ?? .municipality) }.keys.sorted().first
    }


    // MARK: bodies

    struct CatalogueSummaryDTO: Content {
        var id: Int; var key: String; var version: Int; var status: String; var publisher_id: Int?; var title: LocalizedText
        var published_at: Date?; var withdrawn_at: Date?; var url: String
    }

    struct CatalogueDTO: Content {
        var id: Int; var key: String; var version: Int; var status: String; var publisher_id: Int?; var title: LocalizedText
        var published_at: Date?; var withdrawn_at: Date?; var url: String; var content: Catalogue
    }

    static func summary(_ row: CatalogueVersion, _ c: Catalogue) throws -> CatalogueSummaryDTO {
        let id = try row.requireID()
        return CatalogueSummaryDTO(id: id, key: row.catalogueKey, version: row.version, status: row.status, publisher_id: row.$publisher.id,
                                   title: c.title, published_at: row.publishedAt, withdrawn_at: row.withdrawnAt, url: SiteURL.catalogue(id).path)
    }

    static func catalogueDTO(_ row: CatalogueVersion, on req: Request) async throws -> CatalogueDTO {
        let c = try await req.application.plans.catalogue(row, on: req.db)
        let s = try summary(row, c)
        return CatalogueDTO(id: s.id, key: s.key, version: s.version, status: s.status, publisher_id: s.publisher_id, title: s.title,
                            published_at: s.published_at, withdrawn_at: s.withdrawn_at, url: s.url, content: c)
    }

    struct NamedOrganisation: Content { var id: Int; var name: String }

    /// Municipalities appear by id; `municipalities` names each once (the document stays small for a whole region).
    struct OverviewDTO: Content {
        struct Uptake: Content {
            var action_id: String; var title: LocalizedText?
            var approved: [Int]; var pending: [Int]; var changes_requested: [Int]; var declined: [Int]
            var mentors: [String]
        }
        struct Quiet: Content { var municipality_id: Int; var reason: String; var since: String? }
        struct Indicator: Content {
            var action_id: String; var indicator_id: String; var municipalities: Int; var reporting: Int; var total: Double
            var target_per_municipality: Double?; var reached_target: Int; var regional_target: Double?
        }
        struct FundingEnded: Content {
            var plan_action_id: Int; var municipality_id: Int; var action_id: String; var funding_end: String; var status: String
            var has_continuation: Bool
        }
        var catalogue_id: Int; var publisher_id: Int?; var as_of: String; var municipality_count: Int
        var municipalities: [String: String]
        var uptake: [Uptake]; var without_mentor: [String]; var quiet: [Quiet]; var indicators: [Indicator]; var funding_ended: [FundingEnded]
    }

    struct RequestItemDTO: Content { var id: Int; var action_id: String; var budget: Double?; var status: String; var comment: String? }
    struct RequestEventDTO: Content {
        var kind: String; var action_id: String?; var comment: String?; var user_id: Int?; var user_name: String?; var organisation_id: Int?; var at: Date
    }
    struct RequestDTO: Content {
        var id: Int; var organisation_id: Int; var organisation_name: String; var catalogue_id: Int; var coordinator_id: Int?; var status: String
        var motivation: String; var created_at: Date?; var updated_at: Date?; var url: String
        var items: [RequestItemDTO]; var events: [RequestEventDTO]?
    }

    struct ValueDTO: Content { var id: Int; var reporter_id: Int; var reporter_name: String; var day: String; var value: Double; var note: String }
    struct IndicatorDTO: Content {
        var id: Int; var plan_action_id: Int; var catalogue_indicator_id: String?; var name: String; var unit: String; var scale: String; var direction: String
        var baseline: Double; var target: Double?; var maximum: Double?; var how_measured: String
        var values: [ValueDTO]; var total: Double?; var values_url: String
    }
    struct UpdateDTO: Content { var id: Int; var day: String; var text: String; var status: String; var user_name: String?; var created_at: Date? }
    struct PlanActionDTO: Content {
        var id: Int; var organisation_id: Int; var title: String; var goals: String; var activities: String; var owner: String
        var start: String; var end: String; var budget: Double?; var status: String; var funding_end: String?; var continuation: String
        var catalogue_id: Int?; var catalogue_action_id: String?; var request_item_id: Int?; var gap: String?; var last_activity: String?
        var url: String; var partners: [NamedOrganisation]; var indicators: [IndicatorDTO]; var updates: [UpdateDTO]
    }
    struct PlanDTO: Content { var organisation_id: Int; var published: Bool; var url: String; var actions: [PlanActionDTO] }

    static func names(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: String] {
        let list = Array(Set(ids))
        guard !list.isEmpty else { return [:] }
        return Dictionary(try await Organisation.query(on: db).filter(\.$id ~~ list).all().map { ($0.id ?? 0, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    static func requestDTOs(_ requests: [UptakeRequest], withEvents: Bool, on db: any Database) async throws -> [RequestDTO] {
        let ids = requests.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let items = try await UptakeRequestItem.query(on: db).filter(\.$request.$id ~~ ids).sort(\.$id).all()
        let events = withEvents ? try await UptakeEvent.query(on: db).filter(\.$request.$id ~~ ids).with(\.$user).sort(\.$id).all() : []
        let orgNames = try await names(requests.map(\.$organisation.id), on: db)
        return requests.map { r in
            let id = r.id ?? 0
            return RequestDTO(
                id: id, organisation_id: r.$organisation.id, organisation_name: orgNames[r.$organisation.id] ?? "", catalogue_id: r.$catalogue.id,
                coordinator_id: r.$coordinator.id, status: r.status, motivation: r.motivation, created_at: r.createdAt, updated_at: r.updatedAt,
                url: "/api/v1/uptake-requests/\(id)",
                items: items.filter { $0.$request.id == id }.map {
                    RequestItemDTO(id: $0.id ?? 0, action_id: $0.actionID, budget: $0.budget, status: $0.status, comment: $0.comment)
                },
                events: withEvents ? events.filter { $0.$request.id == id }.map {
                    RequestEventDTO(kind: $0.kind, action_id: $0.actionID, comment: $0.comment, user_id: $0.$user.id, user_name: $0.user?.name,
                                    organisation_id: $0.$organisation.id, at: $0.at)
                } : nil)
        }
    }

    static func requestDTO(_ r: UptakeRequest, on db: any Database) async throws -> RequestDTO {
        guard let dto = try await requestDTOs([r], withEvents: true, on: db).first else { throw Abort(.notFound) }
        return dto
    }

    static func indicatorDTOs(_ indicators: [PlanIndicator], on db: any Database) async throws -> [Int: IndicatorDTO] {
        let ids = indicators.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let values = try await IndicatorValueRow.query(on: db).filter(\.$indicator.$id ~~ ids).sort(\.$day).sort(\.$id).all()
        let reporterNames = try await names(values.map(\.$reporter.id), on: db)
        let today = Day.today
        var out: [Int: IndicatorDTO] = [:]
        for i in indicators {
            let id = i.id ?? 0
            let own = values.filter { $0.$indicator.id == id }
            let math = own.compactMap { v in Day(v.day).map { IndicatorValue(reporter: v.$reporter.id, day: $0, value: v.value) } }
            out[id] = IndicatorDTO(
                id: id, plan_action_id: i.$action.id, catalogue_indicator_id: i.catalogueIndicatorID, name: i.name, unit: i.unit, scale: i.scale,
                direction: i.direction, baseline: i.baseline, target: i.target, maximum: i.maximum, how_measured: i.howMeasured,
                values: own.map {
                    ValueDTO(id: $0.id ?? 0, reporter_id: $0.$reporter.id, reporter_name: reporterNames[$0.$reporter.id] ?? "", day: $0.day,
                             value: $0.value, note: $0.note)
                },
                total: IndicatorMath.total(math, asOf: today, combining: i.combination), values_url: "/api/v1/plan-indicators/\(id)/values")
        }
        return out
    }

    static func actionDTOs(_ actions: [PlanAction], on db: any Database) async throws -> [PlanActionDTO] {
        let ids = actions.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let partners = try await PlanActionPartner.query(on: db).filter(\.$action.$id ~~ ids).all()
        let partnerNames = try await names(partners.map(\.$organisation.id), on: db)
        let indicators = try await PlanIndicator.query(on: db).filter(\.$action.$id ~~ ids).sort(\.$id).all()
        let indicatorDTOs = try await indicatorDTOs(indicators, on: db)
        let updates = try await PlanUpdate.query(on: db).filter(\.$action.$id ~~ ids).with(\.$user).sort(\.$day, .descending).sort(\.$id, .descending).all()
        return actions.map { a in
            let id = a.id ?? 0
            return PlanActionDTO(
                id: id, organisation_id: a.$organisation.id, title: a.title, goals: a.goals, activities: a.activities, owner: a.owner,
                start: a.startDay, end: a.endDay, budget: a.budget, status: a.status, funding_end: a.fundingEnd, continuation: a.continuation,
                catalogue_id: a.$catalogue.id, catalogue_action_id: a.catalogueActionID, request_item_id: a.$requestItem.id,
                gap: a.$gapAssessment.id.flatMap { assessment in a.gapKeyFactor.map { "\(assessment):\($0)" } }, last_activity: a.lastActivity,
                url: "/api/v1/plan-actions/\(id)",
                partners: partners.filter { $0.$action.id == id }.map { NamedOrganisation(id: $0.$organisation.id, name: partnerNames[$0.$organisation.id] ?? "") }
                    .sorted { $0.name < $1.name },
                indicators: indicators.filter { $0.$action.id == id }.compactMap { indicatorDTOs[$0.id ?? 0] },
                updates: updates.filter { $0.$action.id == id }.map {
                    UpdateDTO(id: $0.id ?? 0, day: $0.day, text: $0.text, status: $0.status, user_name: $0.user?.name, created_at: $0.createdAt)
                })
        }
    }

    static func actionDTO(_ a: PlanAction, on db: any Database) async throws -> PlanActionDTO {
        guard let dto = try await actionDTOs([a], on: db).first else { throw Abort(.notFound) }
        return dto
    }

    // MARK: catalogues

    private func loadCatalogue(_ req: Request) async throws -> CatalogueVersion {
        guard let row = try await req.application.plans.row(id: try req.intParameter("catalogueID"), on: req.db) else {
            throw Abort(.notFound, reason: "error.api.catalogueNotFound")
        }
        return row
    }

    @Sendable func catalogues(req: Request) async throws -> [CatalogueSummaryDTO] {
        var out: [CatalogueSummaryDTO] = []
        for row in try await PlanUseCases.visibleCatalogues(req.actor, on: req.db) {
            out.append(try Self.summary(row, try await req.application.plans.catalogue(row, on: req.db)))
        }
        return out
    }

    /// The body is the catalogue document; `?publisher=ID` names the coordinating organisation that publishes it.
    @Sendable func uploadCatalogue(req: Request) async throws -> Response {
        try Self.authorize(req, .uploadCatalogue)
        let user = try req.requireUser()
        let publisher: Int
        if let raw = req.query[String.self, at: "publisher"] {
            guard let id = Int(raw), let org = try await Organisation.find(id, on: req.db) else {
                return try APIController.invalid(APIController.field("publisher", "error.api.publisherUnknown"), req)
            }
            guard req.actor.isPlatformAdmin || (req.actor.role(in: id).map { $0 >= .editor } ?? false) else { throw Abort(.forbidden) }
            guard Self.coordinatingKinds.contains(OrganisationKind(rawValue: org.kind) ?? .municipality) else {
                return try APIController.invalid(APIController.field("publisher", "error.api.publisherNotCoordinator"), req)
            }
            publisher = id
        } else {
            guard let id = Self.coordinatingOrganisation(of: req) else {
                return try APIController.invalid(APIController.field("publisher", "error.api.publisherMissing"), req)
            }
            publisher = id
        }
        let data = req.body.data.map { Data(buffer: $0) } ?? Data()
        switch try await PlanUseCases.uploadCatalogue(data, file: "request body", publisher: publisher, by: user, on: req.db) {
        case .failure(let p):
            return try BenchmarkAPIController.problems(p.errors.map { .init(file: $0.file, path: $0.path, message: $0.problem) },
                                                       status: .unprocessableEntity, message: req.t("api.invalid"))
        case .success(let row):
            return try APIController.created(try await Self.catalogueDTO(row, on: req), location: "/api/v1/catalogues/\(try row.requireID())")
        }
    }

    @Sendable func catalogue(req: Request) async throws -> CatalogueDTO {
        let row = try await loadCatalogue(req)
        try Self.authorize(req, .viewCatalogue(publisher: row.$publisher.id, published: row.isVisibleToAll))
        return try await Self.catalogueDTO(row, on: req)
    }

    /// Publishes or withdraws a version. A shipped catalogue that nobody publishes yet becomes the caller's
    /// coordinating organisation's (or `publisher_id`'s, for a platform administrator).
    @Sendable func setStatus(req: Request) async throws -> Response {
        let row = try await loadCatalogue(req)
        try Self.authorize(req, .manageCatalogue(publisher: row.$publisher.id))
        struct Body: Content { var status: String?; var publisher_id: Int? }
        let body = try req.content.decode(Body.self)
        guard let status = CatalogueStatus(rawValue: body.status ?? ""), status != .draft else {
            return try APIController.invalid(APIController.field("status", "error.choice.unknown"), req)
        }
        var publisher: Int? = nil
        if row.$publisher.id == nil {
            if let id = body.publisher_id {
                guard let org = try await Organisation.find(id, on: req.db),
                      Self.coordinatingKinds.contains(OrganisationKind(rawValue: org.kind) ?? .municipality) else {
                    return try APIController.invalid(APIController.field("publisher_id", "error.api.publisherNotCoordinator"), req)
                }
                guard req.actor.isPlatformAdmin || (req.actor.role(in: id).map { $0 >= .editor } ?? false) else { throw Abort(.forbidden) }
                publisher = id
            } else {
                guard let id = Self.coordinatingOrganisation(of: req) else {
                    return try APIController.invalid(APIController.field("publisher_id", "error.api.publisherMissing"), req)
                }
                publisher = id
            }
        }
        let updated = try await PlanUseCases.setStatus(row, to: status, publisher: publisher, on: req.db)
        return try APIController.ok(try await Self.catalogueDTO(updated, on: req))
    }

    /// The overview as JSON, encoded once per catalogue version and day until a plan changes (like the page).
    @Sendable func overview(req: Request) async throws -> Response {
        let row = try await loadCatalogue(req)
        try Self.authorize(req, .viewCoordination(publisher: row.$publisher.id))
        let o = try await req.application.plans.overview(of: row, today: Day.today, on: req.db)
        let key = "api|\(row.id ?? 0)|\(o.asOf)"
        let body: String
        if let cached = req.application.plans.cachedPage(key) { body = cached.raw } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            body = String(decoding: try encoder.encode(try await Self.overviewDTO(row, o, req: req)), as: UTF8.self)
            req.application.plans.storePage(HTML(raw: body), key: key)
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }

    static func overviewDTO(_ row: CatalogueVersion, _ o: CoordinatorOverview, req: Request) async throws -> OverviewDTO {
        let catalogue = try await req.application.plans.catalogue(row, on: req.db)
        let ids = o.uptake.flatMap { $0.approved + $0.pending + $0.changesRequested + $0.declined }
        var known = try await Self.names(ids, on: req.db)
        for q in o.quiet { known[q.municipality.id] = q.municipality.name }
        for f in o.fundingEnded { known[f.municipality.id] = f.municipality.name }
        return OverviewDTO(
            catalogue_id: try row.requireID(), publisher_id: row.$publisher.id, as_of: o.asOf.description, municipality_count: o.municipalityCount,
            municipalities: Dictionary(lastOf: known.map { (String($0.key), $0.value) }),
            uptake: o.uptake.map {
                .init(action_id: $0.actionID, title: catalogue.action($0.actionID)?.title, approved: $0.approved, pending: $0.pending,
                      changes_requested: $0.changesRequested, declined: $0.declined, mentors: $0.mentors)
            },
            without_mentor: o.withoutMentor,
            quiet: o.quiet.map { q in
                switch q.reason {
                case .noUptake: return .init(municipality_id: q.municipality.id, reason: "no_uptake", since: nil)
                case .noUpdate(let since): return .init(municipality_id: q.municipality.id, reason: "no_update", since: since?.description)
                }
            },
            indicators: o.indicators.map {
                .init(action_id: $0.actionID, indicator_id: $0.indicatorID, municipalities: $0.municipalities, reporting: $0.reporting, total: $0.total,
                      target_per_municipality: $0.targetPerMunicipality, reached_target: $0.reachedTarget, regional_target: $0.regionalTarget)
            },
            funding_ended: o.fundingEnded.map {
                .init(plan_action_id: $0.planAction, municipality_id: $0.municipality.id, action_id: $0.actionID, funding_end: $0.fundingEnd.description,
                      status: $0.status.rawValue, has_continuation: $0.hasContinuation)
            })
    }

    @Sendable func catalogueRequests(req: Request) async throws -> [RequestDTO] {
        let row = try await loadCatalogue(req)
        try Self.authorize(req, .viewCoordination(publisher: row.$publisher.id))
        let requests = try await UptakeRequest.query(on: req.db).filter(\.$catalogue.$id == row.requireID()).sort(\.$id, .descending).all()
        return try await Self.requestDTOs(requests, withEvents: false, on: req.db)
    }

    // MARK: requests

    @Sendable func organisationRequests(req: Request) async throws -> [RequestDTO] {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .viewRequest(organisation: orgID, coordinator: nil))
        let requests = try await UptakeRequest.query(on: req.db).filter(\.$organisation.$id == orgID).sort(\.$id, .descending).all()
        return try await Self.requestDTOs(requests, withEvents: false, on: req.db)
    }

    @Sendable func createRequest(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .requestUptake(organisation: orgID))
        guard let org = try await Organisation.find(orgID, on: req.db) else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        struct Line: Content { var action_id: String?; var budget: APIController.FlexibleText? }
        struct Body: Content { var catalogue_id: Int?; var motivation: String?; var actions: [Line]? }
        let body = try req.content.decode(Body.self)
        // A draft the caller may not read is, to them, no catalogue at all.
        guard let catalogueID = body.catalogue_id, let row = try await CatalogueVersion.find(catalogueID, on: req.db),
              PlanPermissions.allows(req.actor, .viewCatalogue(publisher: row.$publisher.id, published: row.isVisibleToAll)) else {
            return try APIController.invalid(APIController.field("catalogue_id", "error.api.catalogueUnknown"), req)
        }
        let selected = (body.actions ?? []).map { (actionID: $0.action_id ?? "", budget: $0.budget?.money ?? "") }
        switch try await PlanUseCases.createRequest(organisation: org, catalogueRow: row, selected: selected, motivation: body.motivation ?? "",
                                                    by: try req.requireUser(), on: req.db, plans: req.application.plans) {
        case .failure(let e): return try APIController.invalid(APIController.renamed(e, ["catalogue": "catalogue_id"]), req)
        case .success(let r):
            return try APIController.created(try await Self.requestDTO(r, on: req.db), location: "/api/v1/uptake-requests/\(try r.requireID())")
        }
    }

    private func loadRequest(_ req: Request) async throws -> UptakeRequest {
        guard let r = try await UptakeRequest.find(try req.intParameter("requestID"), on: req.db) else {
            throw Abort(.notFound, reason: "error.api.requestNotFound")
        }
        return r
    }

    @Sendable func request(req: Request) async throws -> RequestDTO {
        let r = try await loadRequest(req)
        try Self.authorize(req, .viewRequest(organisation: r.$organisation.id, coordinator: r.$coordinator.id))
        return try await Self.requestDTO(r, on: req.db)
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let r = try await loadRequest(req)
        try Self.authorize(req, .decideRequest(coordinator: r.$coordinator.id))
        struct Body: Content { var action_id: String?; var decision: String?; var comment: String? }
        let body = try req.content.decode(Body.self)
        guard let decision = UptakeDecision(rawValue: body.decision ?? "") else {
            return try APIController.invalid(APIController.field("decision", "error.choice.unknown"), req)
        }
        switch try await PlanUseCases.decide(r, actionID: body.action_id ?? "", decision: decision, comment: body.comment ?? "",
                                             by: try req.requireUser(), on: req.db, plans: req.application.plans) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.ok(try await Self.requestDTO(r, on: req.db))
        }
    }

    @Sendable func revise(req: Request) async throws -> Response {
        let r = try await loadRequest(req)
        try Self.authorize(req, .requestUptake(organisation: r.$organisation.id))
        struct Body: Content { var action_id: String?; var budget: APIController.FlexibleText?; var reply: String? }
        let body = try req.content.decode(Body.self)
        switch try await PlanUseCases.revise(r, actionID: body.action_id ?? "", budget: body.budget?.money ?? "", reply: body.reply ?? "",
                                             by: try req.requireUser(), on: req.db, plans: req.application.plans) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.ok(try await Self.requestDTO(r, on: req.db))
        }
    }

    // MARK: plans

    static func planDTO(organisation: Int, on db: any Database) async throws -> PlanDTO {
        let row = try await ActionPlan.query(on: db).filter(\.$organisation.$id == organisation).first()
        let actions = try await PlanAction.query(on: db).filter(\.$organisation.$id == organisation).sort(\.$startDay).sort(\.$id).all()
        return PlanDTO(organisation_id: organisation, published: row?.published ?? false, url: SiteURL.plan(organisation).path,
                       actions: try await actionDTOs(actions, on: db))
    }

    @Sendable func plan(req: Request) async throws -> PlanDTO {
        let orgID = try req.intParameter("id")
        let row = try await ActionPlan.query(on: req.db).filter(\.$organisation.$id == orgID).first()
        try Self.authorize(req, .viewPlan(organisation: orgID, published: row?.published ?? false))
        guard try await Organisation.find(orgID, on: req.db) != nil else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        return try await Self.planDTO(organisation: orgID, on: req.db)
    }

    @Sendable func publishPlan(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .editPlan(organisation: orgID))
        guard try await Organisation.find(orgID, on: req.db) != nil else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        struct Body: Content { var published: Bool? }
        guard let published = try req.content.decode(Body.self).published else {
            return try APIController.invalid(APIController.field("published", "error.choice.unknown"), req)
        }
        let plan = try await PlanUseCases.plan(of: orgID, on: req.db)
        try await PlanUseCases.setPublished(plan, published, on: req.db)
        return try APIController.ok(try await Self.planDTO(organisation: orgID, on: req.db))
    }

    struct ActionBody: Content {
        var title: String?; var goals: String?; var activities: String?; var owner: String?; var start: String?; var end: String?
        var budget: APIController.FlexibleText?; var status: String?; var funding_end: String?; var continuation: String?; var gap: String?

        var input: PlanActionInput {
            var i = PlanActionInput()
            i.title = title ?? ""; i.goals = goals ?? ""; i.activities = activities ?? ""; i.owner = owner ?? ""
            i.start = start ?? ""; i.end = end ?? ""; i.budget = budget?.money ?? ""; i.status = status ?? PlanFollowUp.Status.planned.rawValue
            i.fundingEnd = funding_end ?? ""; i.continuation = continuation ?? ""
            return i
        }
    }

    /// Reads the gap; on any problem, answers every field's problem at once (nil when the input may go to the use case).
    private func checkGap(_ body: ActionBody, organisation: Int, req: Request) async throws -> Result<(assessment: Int, keyFactor: String)?, FieldErrors> {
        switch try await PlanUseCases.readGap(body.gap, organisation: organisation, on: req.db) {
        case .success(let gap): return .success(gap)
        case .failure(let gapErrors):
            var all = FieldErrors()
            if case .failure(let e) = body.input.check() { all = e }
            all.add(gapErrors)
            return .failure(all)
        }
    }

    @Sendable func createAction(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .editPlan(organisation: orgID))
        guard try await Organisation.find(orgID, on: req.db) != nil else { throw Abort(.notFound, reason: "error.organisation.notFound") }
        let body = try req.content.decode(ActionBody.self)
        let gap: (assessment: Int, keyFactor: String)?
        switch try await checkGap(body, organisation: orgID, req: req) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let g): gap = g
        }
        switch try await PlanUseCases.createAction(organisation: orgID, input: body.input, gap: gap, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let a): return try APIController.created(try await Self.actionDTO(a, on: req.db), location: "/api/v1/plan-actions/\(try a.requireID())")
        }
    }

    private func loadAction(_ req: Request) async throws -> PlanAction {
        guard let a = try await PlanAction.find(try req.intParameter("actionID"), on: req.db) else {
            throw Abort(.notFound, reason: "error.api.actionNotFound")
        }
        return a
    }

    static func isPublished(_ a: PlanAction, on db: any Database) async throws -> Bool {
        try await ActionPlan.find(a.$plan.id, on: db)?.published ?? false
    }

    @Sendable func action(req: Request) async throws -> PlanActionDTO {
        let a = try await loadAction(req)
        let partners = try await PlanUseCases.partnerIDs(of: a, on: req.db)
        try Self.authorize(req, .viewPlanAction(organisation: a.$organisation.id, published: try await Self.isPublished(a, on: req.db), partners: partners))
        return try await Self.actionDTO(a, on: req.db)
    }

    /// Replaces the action's fields: those left out become empty (the status: planned).
    @Sendable func updateAction(req: Request) async throws -> Response {
        let a = try await loadAction(req)
        try Self.authorize(req, .editPlan(organisation: a.$organisation.id))
        let body = try req.content.decode(ActionBody.self)
        let gap: (assessment: Int, keyFactor: String)?
        switch try await checkGap(body, organisation: a.$organisation.id, req: req) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let g): gap = g
        }
        switch try await PlanUseCases.updateAction(a, input: body.input, gap: gap, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let a): return try APIController.ok(try await Self.actionDTO(a, on: req.db))
        }
    }

    @Sendable func addPartner(req: Request) async throws -> Response {
        let a = try await loadAction(req)
        try Self.authorize(req, .editPlan(organisation: a.$organisation.id))
        struct Body: Content { var organisation_id: Int? }
        if let e = try await PlanUseCases.addPartner(a, organisation: try req.content.decode(Body.self).organisation_id, on: req.db) {
            return try APIController.invalid(APIController.renamed(e, ["partner": "organisation_id"]), req)
        }
        return try APIController.created(try await Self.actionDTO(a, on: req.db), location: "/api/v1/plan-actions/\(try a.requireID())")
    }

    @Sendable func removePartner(req: Request) async throws -> Response {
        let a = try await loadAction(req)
        try Self.authorize(req, .editPlan(organisation: a.$organisation.id))
        guard try await PlanUseCases.removePartner(a, organisation: try req.intParameter("partnerID"), on: req.db) else {
            throw Abort(.notFound, reason: "error.partner.unknown")
        }
        return Response(status: .noContent)
    }

    @Sendable func removeValue(req: Request) async throws -> Response {
        guard let v = try await IndicatorValueRow.find(try req.intParameter("valueID"), on: req.db),
              let indicator = try await PlanIndicator.find(v.$indicator.id, on: req.db),
              let a = try await PlanAction.find(indicator.$action.id, on: req.db) else { throw Abort(.notFound, reason: "error.api.indicatorNotFound") }
        try Self.authorize(req, .removeValue(organisation: a.$organisation.id, reporter: v.$reporter.id))
        try await PlanUseCases.removeValue(v, on: req.db)
        return Response(status: .noContent)
    }

    @Sendable func addIndicator(req: Request) async throws -> Response {
        let a = try await loadAction(req)
        try Self.authorize(req, .editPlan(organisation: a.$organisation.id))
        struct Body: Content {
            var name: String?; var unit: String?; var scale: String?; var direction: String?; var baseline: APIController.FlexibleText?; var target: APIController.FlexibleText?
            var how_measured: String?
        }
        let body = try req.content.decode(Body.self)
        var input = IndicatorInput()
        input.name = body.name ?? ""; input.unit = body.unit ?? ""
        if let s = body.scale { input.scale = s }
        if let d = body.direction { input.direction = d }
        if let b = body.baseline { input.baseline = b.text }
        input.target = body.target?.text ?? ""
        input.howMeasured = body.how_measured ?? ""
        switch try await PlanUseCases.addIndicator(a, input: input, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let i):
            guard let dto = try await Self.indicatorDTOs([i], on: req.db)[try i.requireID()] else { throw Abort(.internalServerError) }
            return try APIController.created(dto, location: dto.values_url)
        }
    }

    @Sendable func addUpdate(req: Request) async throws -> Response {
        let a = try await loadAction(req)
        try Self.authorize(req, .editPlan(organisation: a.$organisation.id))
        struct Body: Content { var day: String?; var text: String?; var status: String? }
        let body = try req.content.decode(Body.self)
        switch try await PlanUseCases.addUpdate(a, day: body.day ?? "", text: body.text ?? "", status: body.status ?? a.status, by: try req.requireUser(), on: req.db) {
        case .failure(let e):
            return try APIController.invalid(APIController.renamed(e, ["update_day": "day", "update_text": "text", "update_status": "status"]), req)
        case .success(let u):
            let dto = UpdateDTO(id: try u.requireID(), day: u.day, text: u.text, status: u.status, user_name: req.currentUser?.name, created_at: u.createdAt)
            return try APIController.created(dto, location: "/api/v1/plan-actions/\(try a.requireID())")
        }
    }

    // MARK: indicator values

    private func loadIndicator(_ req: Request) async throws -> (PlanIndicator, PlanAction) {
        guard let i = try await PlanIndicator.find(try req.intParameter("indicatorID"), on: req.db),
              let a = try await PlanAction.find(i.$action.id, on: req.db) else { throw Abort(.notFound, reason: "error.api.indicatorNotFound") }
        return (i, a)
    }

    @Sendable func values(req: Request) async throws -> IndicatorDTO {
        let (i, a) = try await loadIndicator(req)
        let partners = try await PlanUseCases.partnerIDs(of: a, on: req.db)
        try Self.authorize(req, .viewPlanAction(organisation: a.$organisation.id, published: try await Self.isPublished(a, on: req.db), partners: partners))
        guard let dto = try await Self.indicatorDTOs([i], on: req.db)[try i.requireID()] else { throw Abort(.notFound) }
        return dto
    }

    /// One value, for the municipality or one of the action's partners. Without `reporter_id`, the one
    /// organisation the caller may report for (when there is just one).
    @Sendable func addValue(req: Request) async throws -> Response {
        let (i, a) = try await loadIndicator(req)
        let partners = try await PlanUseCases.partnerIDs(of: a, on: req.db)
        try Self.authorize(req, .reportValues(organisation: a.$organisation.id, partners: partners))
        struct Body: Content { var reporter_id: Int?; var day: String?; var value: APIController.FlexibleText?; var note: String? }
        let body = try req.content.decode(Body.self)
        var reporter = body.reporter_id
        if reporter == nil {
            let mine = ([a.$organisation.id] + partners).filter { PlanPermissions.allows(req.actor, .reportValues(organisation: $0, partners: [])) }
            if mine.count == 1 { reporter = mine[0] }
        }
        var extraUnits: [String] = []
        if let catalogueID = a.$catalogue.id, let actionID = a.catalogueActionID, let indicatorID = i.catalogueIndicatorID,
           let ind = try await req.application.plans.catalogue(id: catalogueID, on: req.db).action(actionID)?.indicators.first(where: { $0.id == indicatorID }) {
            extraUnits = [ind.unit("nl")]
        }
        switch try await PlanUseCases.addValue(i, action: a, partners: partners, reporter: reporter, day: body.day ?? "", value: body.value?.text ?? "", note: body.note ?? "",
                                               actor: req.actor, by: try req.requireUser(), extraUnitNames: extraUnits, on: req.db) {
        case .failure(let e): return try APIController.invalid(APIController.renamed(e, ["reporter": "reporter_id"]), req)
        case .success:
            guard let dto = try await Self.indicatorDTOs([i], on: req.db)[try i.requireID()] else { throw Abort(.internalServerError) }
            return try APIController.created(dto, location: dto.values_url)
        }
    }
}
