import Fluent
import LivingTogetherCore
import Vapor

/// The plan pages: catalogues (publish, withdraw, upload), requests to take up actions and their decisions,
/// a municipality's action plan with indicators, shared measurement and updates, the printable yearly
/// report, the coordinator's view and the exports.
struct PlanController {
    func register(_ all: any RoutesBuilder) {
        let routes = all.grouped(PlanChangesMiddleware())
        routes.get(.plans, use: index)
        routes.get(.catalogueUpload, use: uploadForm)
        routes.post(.catalogueUpload, use: upload)
        routes.get(.catalogue(nil), use: catalogue)
        routes.post(.catalogueStatus(nil), use: setStatus)
        routes.get(.uptakeNew(nil), use: requestForm)
        routes.post(.uptakeNew(nil), use: createRequest)
        routes.get(.catalogueOverview(nil), use: overview)
        routes.get(.catalogueOverviewExport(nil), use: overviewExport)
        routes.get(.uptakeRequest(nil), use: request)
        routes.post(.uptakeDecide(nil), use: decide)
        routes.post(.uptakeRevise(nil), use: revise)
        routes.get(.plan(nil), use: plan)
        routes.post(.planPublish(nil), use: publish)
        routes.get(.planActionNew(nil), use: newActionForm)
        routes.post(.planActionNew(nil), use: createAction)
        routes.get(.planReport(nil), use: report)
        routes.get(.planExport(nil), use: export)
        routes.get(.planAction(nil), use: action)
        routes.get(.planActionEdit(nil), use: editForm)
        routes.post(.planActionEdit(nil), use: update)
        routes.post(.planActionPartners(nil), use: addPartner)
        routes.post(.planActionPartnerRemove(nil, nil), use: removePartner)
        routes.post(.indicatorValueRemove(nil), use: removeValue)
        routes.post(.planActionIndicators(nil), use: addIndicator)
        routes.post(.planActionUpdates(nil), use: addUpdate)
        routes.post(.indicatorValues(nil), use: addValue)
    }

    static func authorize(_ req: Request, _ action: PlanPermissions.Action) throws {
        if PlanPermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }

    /// The coordinating organisations where the person is an editor or administrator.
    /// (For a platform administrator: every coordinating organisation.)
    static func coordinatingOrganisations(_ req: Request) async throws -> [Organisation] {
        guard let user = req.currentUser else { return [] }
        let ids = user.roles.filter { $0.value >= .editor }.map(\.key)
        guard !ids.isEmpty || user.isPlatformAdmin else { return [] }
        var query = Organisation.query(on: req.db)
        if !user.isPlatformAdmin { query = query.filter(\.$id ~~ ids) }
        return try await query
            .filter(\.$kind ~~ [OrganisationKind.association.rawValue, OrganisationKind.agency.rawValue, OrganisationKind.network.rawValue])
            .sort(\.$name).all()
    }

    /// The municipalities where the person may request actions and edit the plan.
    static func editableMunicipalities(_ req: Request) async throws -> [Organisation] {
        guard let user = req.currentUser else { return [] }
        let ids = user.isPlatformAdmin ? [] : user.roles.filter { $0.value >= .editor }.map(\.key)
        guard !ids.isEmpty else { return [] }
        return try await Organisation.query(on: req.db).filter(\.$id ~~ ids).filter(\.$kind == OrganisationKind.municipality.rawValue).sort(\.$name).all()
    }

    // MARK: the plans page

    @Sendable func index(req: Request) async throws -> Response {
        let catalogues = try await PlanUseCases.visibleCatalogues(req.actor, on: req.db)
        var items: [PlanViews.CatalogueItem] = []
        let publisherIDs = Set(catalogues.compactMap { $0.$publisher.id })
        let publishers = Dictionary(lastOf: try await Organisation.query(on: req.db).filter(\.$id ~~ Array(publisherIDs)).all().map { ($0.id!, $0.name) })
        for row in catalogues {
            let c = try await req.application.plans.catalogue(row, on: req.db)
            items.append(.init(row: row, catalogue: c, publisher: row.$publisher.id.flatMap { publishers[$0] },
                               canCoordinate: row.$publisher.id != nil && PlanPermissions.allows(req.actor, .viewCoordination(publisher: row.$publisher.id))))
        }
        var plans: [(Organisation, [UptakeRequest])] = []
        if let user = req.currentUser, !user.roles.isEmpty {
            let orgs = try await Organisation.query(on: req.db).filter(\.$id ~~ Array(user.roles.keys)).filter(\.$kind == OrganisationKind.municipality.rawValue).sort(\.$name).all()
            for o in orgs {
                plans.append((o, try await UptakeRequest.query(on: req.db).filter(\.$organisation.$id == o.requireID()).sort(\.$id, .descending).all()))
            }
        }
        // The actions of other municipalities the person's organisations report on, each linked where it may be read.
        let work = try await PlanUseCases.partnerWork(of: Array(req.currentUser?.roles.keys ?? [:].keys), on: req.db)
        var titles = PlanData()
        try await titles.translateTitles(work.map(\.action), language: req.language.rawValue, plans: req.application.plans, on: req.db)
        let reporting = work.map { w in
            PlanViews.ReportingItem(work: w, title: titles.title(w.action),
                                    canSeePlan: PlanPermissions.allows(req.actor, .viewPlan(organisation: w.owner.id ?? 0,
                                                                                           published: w.planPublished)))
        }
        return PlanViews.index(req.page(), catalogues: items, plans: plans, reporting: reporting,
                               canUpload: PlanPermissions.allows(req.actor, .uploadCatalogue))
    }

    // MARK: catalogues

    static func loadCatalogue(_ req: Request) async throws -> (CatalogueVersion, Catalogue) {
        let id = try req.intParameter("catalogueID")
        guard let row = try await req.application.plans.row(id: id, on: req.db) else { throw Abort(.notFound) }
        try authorize(req, .viewCatalogue(publisher: row.$publisher.id, published: row.isVisibleToAll))
        return (row, try await req.application.plans.catalogue(row, on: req.db))
    }

    @Sendable func catalogue(req: Request) async throws -> Response {
        let (row, c) = try await Self.loadCatalogue(req)
        var publisher: Organisation? = nil
        if let pid = row.$publisher.id { publisher = try await Organisation.find(pid, on: req.db) }
        let names = Set(c.actions.flatMap { $0.mentorMunicipalities + $0.contentPartners })
        let known = try await Organisation.query(on: req.db).filter(\.$searchName ~~ names.map(SearchText.fold)).all().filter { names.contains($0.name) }
        var links: [String: Int] = [:]
        for o in known where links[o.name] == nil || o.organisationKind != .municipality { links[o.name] = o.id }
        let editable = try await Self.editableMunicipalities(req)
        let canRequest = row.catalogueStatus == .published && !editable.isEmpty
        return PlanViews.catalogue(req.page(), row: row, catalogue: c, publisher: publisher, organisationLinks: links,
                                   canManage: PlanPermissions.allows(req.actor, .manageCatalogue(publisher: row.$publisher.id)),
                                   canCoordinate: row.$publisher.id != nil && PlanPermissions.allows(req.actor, .viewCoordination(publisher: row.$publisher.id)),
                                   canRequest: canRequest, qualifiedMentors: try await MentoringUseCases.qualifiedMentors(on: req.db),
                                   library: Self.library(of: c, try await req.application.knowledge.snapshot(on: req.db)))
    }

    /// The library's records on each of the catalogue's actions.
    static func library(of c: Catalogue, _ snapshot: KnowledgeStore.Snapshot) -> BenchmarkViews.LibraryLinks {
        Dictionary(lastOf: c.actions.map { ($0.id, snapshot.tagged(action: $0.id)) })
    }

    @Sendable func setStatus(req: Request) async throws -> Response {
        let (row, _) = try await Self.loadCatalogue(req)
        try Self.authorize(req, .manageCatalogue(publisher: row.$publisher.id))
        struct Form: Content { var status: String? }
        guard let status = CatalogueStatus(rawValue: try req.content.decode(Form.self).status ?? ""), status != .draft else {
            throw Abort(.unprocessableEntity, reason: "error.choice.unknown")
        }
        var publisher = row.$publisher.id
        if publisher == nil {
            guard let own = try await Self.coordinatingOrganisations(req).first else { throw Abort(.forbidden) }
            publisher = own.id
        }
        try await PlanUseCases.setStatus(row, to: status, publisher: publisher, on: req.db)
        let response = req.redirect(to: SiteURL.catalogue(row.id).path, redirectType: .normal)
        Flash.set(status == .published ? "flash.cataloguePublished" : "flash.catalogueWithdrawn", on: response)
        return response
    }

    @Sendable func uploadForm(req: Request) async throws -> Response {
        try Self.authorize(req, .uploadCatalogue)
        return PlanViews.upload(req.page(), publishers: try await Self.coordinatingOrganisations(req), selected: nil, text: "", problems: [])
    }

    @Sendable func upload(req: Request) async throws -> Response {
        try Self.authorize(req, .uploadCatalogue)
        struct Form: Content { var file: File?; var json: String?; var publisher: String? }
        let form = try req.content.decode(Form.self)
        let publishers = try await Self.coordinatingOrganisations(req)
        let (data, name) = { let d = UploadedDocument(file: form.file, pasted: form.json); return (d.data, d.name) }()
        func again(_ problems: [FrameworkError]) -> Response {
            PlanViews.upload(req.page(), publishers: publishers, selected: form.publisher, text: form.json ?? String(decoding: data, as: UTF8.self),
                             problems: problems, status: .unprocessableEntity)
        }
        guard let publisher = publishers.first(where: { String($0.id ?? 0) == form.publisher }) ?? (publishers.count == 1 ? publishers.first : nil) else {
            return again([FrameworkError(file: name, path: "", problem: req.t("error.catalogue.publisher"))])
        }
        if data.isEmpty { return again([FrameworkError(file: name, path: "", problem: req.t("error.upload.empty"))]) }
        switch try await PlanUseCases.uploadCatalogue(data, file: name, publisher: try publisher.requireID(), by: try req.requireUser(), on: req.db) {
        case .failure(let p): return again(p.errors)
        case .success(let row):
            let response = req.redirect(to: SiteURL.catalogue(row.id).path, redirectType: .normal)
            Flash.set("flash.catalogueUploaded", on: response)
            return response
        }
    }

    // MARK: requests

    struct RequestForm {
        var organisation: String?
        var chosen: Set<String> = []
        var budgets: [String: String] = [:]
        var motivation = ""
    }

    @Sendable func requestForm(req: Request) async throws -> Response {
        let (row, c) = try await Self.loadCatalogue(req)
        let orgs = try await Self.editableMunicipalities(req)
        guard !orgs.isEmpty || req.actor.isPlatformAdmin else { throw Abort(req.currentUser == nil ? .unauthorized : .forbidden) }
        var form = RequestForm()
        form.organisation = (try? req.query.get(String.self, at: "organisation")) ?? orgs.first.map { String($0.id ?? 0) }
        return PlanViews.requestForm(req.page(), row: row, catalogue: c, organisations: orgs, form: form, errors: FieldErrors())
    }

    @Sendable func createRequest(req: Request) async throws -> Response {
        let (row, c) = try await Self.loadCatalogue(req)
        let user = try req.requireUser()
        let fields = try req.content.decode([String: String].self)
        var form = RequestForm(organisation: fields["organisation"], motivation: fields["motivation"] ?? "")
        for a in c.actions {
            if fields["action:\(a.id)"] != nil { form.chosen.insert(a.id) }
            form.budgets[a.id] = fields["budget:\(a.id)"] ?? ""
        }
        guard let orgID = Int(form.organisation ?? ""), let org = try await Organisation.find(orgID, on: req.db) else {
            if req.currentUser == nil { throw Abort(.unauthorized) }
            var e = FieldErrors(); e.add("organisation", "error.choice.unknown")
            return PlanViews.requestForm(req.page(), row: row, catalogue: c, organisations: try await Self.editableMunicipalities(req), form: form, errors: e, status: .unprocessableEntity)
        }
        try Self.authorize(req, .requestUptake(organisation: orgID))
        let selected = c.actions.filter { form.chosen.contains($0.id) }.map { (actionID: $0.id, budget: form.budgets[$0.id] ?? "") }
        switch try await PlanUseCases.createRequest(organisation: org, catalogueRow: row, selected: selected, motivation: form.motivation, by: user,
                                                     on: req.db, plans: req.application.plans) {
        case .failure(let e):
            return PlanViews.requestForm(req.page(), row: row, catalogue: c, organisations: try await Self.editableMunicipalities(req), form: form,
                                         errors: e, status: .unprocessableEntity)
        case .success(let r):
            let response = req.redirect(to: SiteURL.uptakeRequest(r.id).path, redirectType: .normal)
            Flash.set("flash.requestSent", on: response)
            return response
        }
    }

    static func loadRequest(_ req: Request) async throws -> UptakeRequest {
        let id = try req.intParameter("requestID")
        guard let r = try await UptakeRequest.find(id, on: req.db) else { throw Abort(.notFound) }
        try authorize(req, .viewRequest(organisation: r.$organisation.id, coordinator: r.$coordinator.id))
        return r
    }

    func renderRequest(_ req: Request, _ r: UptakeRequest, errors: FieldErrors = FieldErrors(), input: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        guard let row = try await PlanStore.row(id: r.$catalogue.id, on: req.db) else { throw Abort(.notFound) }
        let c = try await req.application.plans.catalogue(row, on: req.db)
        let items = try await UptakeRequestItem.query(on: req.db).filter(\.$request.$id == r.requireID()).sort(\.$id).all()
        let events = try await UptakeEvent.query(on: req.db).filter(\.$request.$id == r.requireID()).with(\.$user).sort(\.$id).all()
        let org = try await r.$organisation.get(on: req.db)
        let coordinator = try await r.$coordinator.get(on: req.db)
        let plan = try await ActionPlan.query(on: req.db).filter(\.$organisation.$id == r.$organisation.id).first()
        return PlanViews.request(req.page(), request: r, catalogueRow: row, catalogue: c, organisation: org, coordinator: coordinator, items: items, events: events,
                                 canDecide: PlanPermissions.allows(req.actor, .decideRequest(coordinator: r.$coordinator.id)),
                                 canRevise: PlanPermissions.allows(req.actor, .requestUptake(organisation: r.$organisation.id)),
                                 canSeePlan: PlanPermissions.allows(req.actor, .viewPlan(organisation: r.$organisation.id, published: plan?.published ?? false)),
                                 errors: errors, input: input, status: status)
    }

    @Sendable func request(req: Request) async throws -> Response {
        try await renderRequest(req, try await Self.loadRequest(req))
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let r = try await Self.loadRequest(req)
        try Self.authorize(req, .decideRequest(coordinator: r.$coordinator.id))
        let fields = try req.content.decode([String: String].self)
        let actionID = fields["action_id"] ?? ""
        guard let decision = UptakeDecision(rawValue: fields["decision:\(actionID)"] ?? "") else {
            var e = FieldErrors(); e.add("decision:\(actionID)", "error.uptake.decisionMissing")
            return try await renderRequest(req, r, errors: e, input: fields, status: .unprocessableEntity)
        }
        switch try await PlanUseCases.decide(r, actionID: actionID, decision: decision, comment: fields["comment:\(actionID)"] ?? "",
                                             by: try req.requireUser(), on: req.db, plans: req.application.plans) {
        case .failure(let e): return try await renderRequest(req, r, errors: e, input: fields, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.uptakeRequest(r.id).path + "#item-\(actionID)", redirectType: .normal)
            Flash.set("flash.decisionSaved", on: response)
            return response
        }
    }

    @Sendable func revise(req: Request) async throws -> Response {
        let r = try await Self.loadRequest(req)
        try Self.authorize(req, .requestUptake(organisation: r.$organisation.id))
        let fields = try req.content.decode([String: String].self)
        let actionID = fields["action_id"] ?? ""
        switch try await PlanUseCases.revise(r, actionID: actionID, budget: fields["budget:\(actionID)"] ?? "", reply: fields["reply:\(actionID)"] ?? "",
                                             by: try req.requireUser(), on: req.db, plans: req.application.plans) {
        case .failure(let e): return try await renderRequest(req, r, errors: e, input: fields, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.uptakeRequest(r.id).path + "#item-\(actionID)", redirectType: .normal)
            Flash.set("flash.requestRevised", on: response)
            return response
        }
    }

    // MARK: the coordinator's view

    @Sendable func overview(req: Request) async throws -> Response {
        let (row, c) = try await Self.loadCatalogue(req)
        try Self.authorize(req, .viewCoordination(publisher: row.$publisher.id))
        let ctx = req.page()
        let overview = try await req.application.plans.overview(of: row, today: Day.today, on: req.db)
        let key = "\(row.id ?? 0)|\(ctx.language.rawValue)|\(overview.asOf)"
        if let main = req.application.plans.cachedPage(key) {
            return Layout.page(ctx, title: ctx.t("overview.title", c.title(ctx.language.rawValue)), main: main)
        }
        let waiting = try await UptakeRequest.query(on: req.db).filter(\.$catalogue.$id == row.requireID())
            .filter(\.$status != UptakeRequestStatus.decided.rawValue).with(\.$organisation).sort(\.$id).all()
        let main = PlanViews.overviewMain(ctx, row: row, catalogue: c, overview: overview, waiting: waiting)
        req.application.plans.storePage(main, key: key)
        return Layout.page(ctx, title: ctx.t("overview.title", c.title(ctx.language.rawValue)), main: main)
    }

    @Sendable func overviewExport(req: Request) async throws -> Response {
        let (row, c) = try await Self.loadCatalogue(req)
        try Self.authorize(req, .viewCoordination(publisher: row.$publisher.id))
        let section = (try? req.query.get(String.self, at: "section")) ?? "uptake"
        let overview = try await req.application.plans.overview(of: row, today: Day.today, on: req.db)
        guard let text = PlanExports.overview(section, catalogue: c, overview: overview) else { throw Abort(.badRequest, reason: "error.export.section") }
        return .download(text, type: .csvUTF8, filename: "\(row.catalogueKey)-v\(row.version)-\(section).csv")
    }

    // MARK: the plan

    static func organisationForPlan(_ req: Request) async throws -> (Organisation, ActionPlan?) {
        let id = try req.intParameter("id")
        guard let org = try await Organisation.find(id, on: req.db) else { throw Abort(.notFound) }
        let plan = try await ActionPlan.query(on: req.db).filter(\.$organisation.$id == id).first()
        try authorize(req, .viewPlan(organisation: id, published: plan?.published ?? false))
        return (org, plan)
    }

    @Sendable func plan(req: Request) async throws -> Response {
        let (org, plan) = try await Self.organisationForPlan(req)
        let orgID = try org.requireID()
        let actions = try await PlanAction.query(on: req.db).filter(\.$organisation.$id == orgID).sort(\.$startDay).sort(\.$id).all()
        var data = try await PlanData.load(actions: actions, on: req.db)
        try await data.translateTitles(actions, language: req.language.rawValue, plans: req.application.plans, on: req.db)
        let member = req.actor.role(in: orgID) != nil || req.actor.isPlatformAdmin
        let requests = member ? try await UptakeRequest.query(on: req.db).filter(\.$organisation.$id == orgID).sort(\.$id, .descending).all() : []
        // The gaps its benchmark reports carried to the plan, each with the action that answers it (or none yet).
        let gaps = member ? try await PlanUseCases.gaps(of: orgID, on: req.db, benchmarks: req.application.benchmarks,
                                                        language: req.language.rawValue) : []
        let answeredBy = Dictionary(actions.compactMap { a in
            a.gapKeyFactor.flatMap { k in a.$gapAssessment.id.map { ("\($0):\(k)", a) } }
        }, uniquingKeysWith: { first, _ in first })
        return PlanViews.plan(req.page(), organisation: org, plan: plan, actions: actions, data: data, requests: requests,
                              gaps: gaps.map { (value: $0.value, label: $0.label, action: answeredBy[$0.value]) },
                              canEdit: PlanPermissions.allows(req.actor, .editPlan(organisation: orgID)))
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .editPlan(organisation: orgID))
        guard try await Organisation.find(orgID, on: req.db) != nil else { throw Abort(.notFound) }
        struct Form: Content { var publish: String? }
        let publish = try FormFlag.read(try req.content.decode(Form.self).publish, field: "publish", yes: "1", no: "0")
        let plan = try await PlanUseCases.plan(of: orgID, on: req.db)
        try await PlanUseCases.setPublished(plan, publish, on: req.db)
        let response = req.redirect(to: SiteURL.plan(orgID).path, redirectType: .normal)
        Flash.set(publish ? "flash.planPublished" : "flash.planUnpublished", on: response)
        return response
    }

    static func actionInput(_ fields: [String: String]) -> PlanActionInput {
        var i = PlanActionInput()
        i.title = fields["title"] ?? ""; i.goals = fields["goals"] ?? ""; i.activities = fields["activities"] ?? ""; i.owner = fields["owner"] ?? ""
        i.start = fields["start"] ?? ""; i.end = fields["end"] ?? ""; i.budget = fields["budget"] ?? ""; i.status = fields["status"] ?? ""
        i.fundingEnd = fields["funding_end"] ?? ""; i.continuation = fields["continuation"] ?? ""
        return i
    }

    @Sendable func newActionForm(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .editPlan(organisation: orgID))
        guard let org = try await Organisation.find(orgID, on: req.db) else { throw Abort(.notFound) }
        var input = PlanActionInput()
        let today = Day.today
        input.start = today.description
        input.end = today.adding(months: 12).description
        // Planned from a library record: its title, issue and how it works, to adapt.
        var practice: (slug: String, title: String)? = nil
        if let slug = req.query[String.self, at: "practice"], let found = try await Self.publishedPractice(slug, req) {
            let lang = req.language.rawValue
            input.title = String(found.title(lang).prefix(200))
            input.goals = found.issue(lang); input.activities = found.howItWorks(lang)
            practice = (slug, found.title(lang))
        }
        let gaps = try await PlanUseCases.gaps(of: orgID, on: req.db, benchmarks: req.application.benchmarks, language: req.language.rawValue)
        return PlanViews.actionForm(req.page(), organisation: org, action: nil, input: input, gap: req.query[String.self, at: "gap"], gaps: gaps,
                                    errors: FieldErrors(), practice: practice)
    }

    /// A published library record by its address.
    static func publishedPractice(_ slug: String, _ req: Request) async throws -> Practice? {
        let snapshot = try await req.application.knowledge.snapshot(on: req.db)
        return snapshot.bySlug[slug].flatMap { snapshot.rows[$0]?.practice }
    }

    @Sendable func createAction(req: Request) async throws -> Response {
        let orgID = try req.intParameter("id")
        try Self.authorize(req, .editPlan(organisation: orgID))
        guard let org = try await Organisation.find(orgID, on: req.db) else { throw Abort(.notFound) }
        let fields = try req.content.decode([String: String].self)
        let input = Self.actionInput(fields)
        let gaps = try await PlanUseCases.gaps(of: orgID, on: req.db, benchmarks: req.application.benchmarks, language: req.language.rawValue)
        // The library record it is planned from, sent by the form as it was given; one that is not published is refused.
        let slug = (fields["practice"] ?? "").trimmingWhitespace()
        var practice: (slug: String, title: String)? = nil
        if !slug.isEmpty {
            guard let found = try await Self.publishedPractice(slug, req) else {
                throw MessageError(status: .badRequest, key: "error.choice.field", arguments: ["practice"])
            }
            practice = (slug, found.title(req.language.rawValue))
        }
        func again(_ e: FieldErrors) -> Response {
            PlanViews.actionForm(req.page(), organisation: org, action: nil, input: input, gap: fields["gap"], gaps: gaps, errors: e,
                                 status: .unprocessableEntity, practice: practice)
        }
        let gap: (assessment: Int, keyFactor: String)?
        switch try await PlanUseCases.readGap(fields["gap"], organisation: orgID, on: req.db) {
        case .failure(let e):
            var all = e
            if case .failure(let more) = input.check() { all.add(more) }
            return again(all)
        case .success(let g): gap = g
        }
        switch try await PlanUseCases.createAction(organisation: orgID, input: input, gap: gap, practice: practice?.slug, on: req.db) {
        case .failure(let e): return again(e)
        case .success(let a):
            let response = req.redirect(to: SiteURL.planAction(a.id).path, redirectType: .normal)
            Flash.set("flash.actionSaved", on: response)
            return response
        }
    }

    static func loadAction(_ req: Request, edit: Bool = false) async throws -> (PlanAction, ActionPlan, [Int]) {
        let id = try req.intParameter("actionID")
        guard let a = try await PlanAction.find(id, on: req.db) else { throw Abort(.notFound) }
        let plan = try await a.$plan.get(on: req.db)
        let partners = try await PlanUseCases.partnerIDs(of: a, on: req.db)
        try authorize(req, edit ? .editPlan(organisation: a.$organisation.id)
                                : .viewPlanAction(organisation: a.$organisation.id, published: plan.published, partners: partners))
        return (a, plan, partners)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let (a, _, _) = try await Self.loadAction(req, edit: true)
        let org = try await a.$organisation.get(on: req.db)
        var input = PlanActionInput()
        input.title = a.title; input.goals = a.goals; input.activities = a.activities; input.owner = a.owner
        input.start = a.startDay; input.end = a.endDay; input.budget = a.budget.map { PlanViews.plainNumber($0) } ?? ""; input.status = a.status
        input.fundingEnd = a.fundingEnd ?? ""; input.continuation = a.continuation
        let gaps = try await PlanUseCases.gaps(of: a.$organisation.id, on: req.db, benchmarks: req.application.benchmarks, language: req.language.rawValue)
        let gap = a.$gapAssessment.id.map { "\($0):\(a.gapKeyFactor ?? "")" }
        return PlanViews.actionForm(req.page(), organisation: org, action: a, input: input, gap: gap, gaps: gaps, errors: FieldErrors())
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (a, _, _) = try await Self.loadAction(req, edit: true)
        let org = try await a.$organisation.get(on: req.db)
        let fields = try req.content.decode([String: String].self)
        let input = Self.actionInput(fields)
        let gaps = try await PlanUseCases.gaps(of: a.$organisation.id, on: req.db, benchmarks: req.application.benchmarks, language: req.language.rawValue)
        func again(_ e: FieldErrors) -> Response {
            PlanViews.actionForm(req.page(), organisation: org, action: a, input: input, gap: fields["gap"], gaps: gaps, errors: e, status: .unprocessableEntity)
        }
        let gap: (assessment: Int, keyFactor: String)?
        switch try await PlanUseCases.readGap(fields["gap"], organisation: a.$organisation.id, on: req.db) {
        case .failure(let e): return again(e)
        case .success(let g): gap = g
        }
        switch try await PlanUseCases.updateAction(a, input: input, gap: gap, on: req.db) {
        case .failure(let e): return again(e)
        case .success:
            let response = req.redirect(to: SiteURL.planAction(a.id).path, redirectType: .normal)
            Flash.set("flash.actionSaved", on: response)
            return response
        }
    }

    /// The action page, with the forms' errors and what was typed when a form comes back.
    func renderAction(_ req: Request, _ a: PlanAction, plan: ActionPlan, partners: [Int], errors: FieldErrors = FieldErrors(), input: [String: String] = [:],
                      status: HTTPStatus = .ok) async throws -> Response {
        let org = try await a.$organisation.get(on: req.db)
        var data = try await PlanData.load(actions: [a], on: req.db)
        try await data.translateTitles([a], language: req.language.rawValue, plans: req.application.plans, on: req.db)
        let reporters = try await PlanUseCases.reporters(of: a, on: req.db)
        let mayReport = reporters.filter { PlanPermissions.allows(req.actor, .reportValues(organisation: $0.id!, partners: [])) }
        var catalogue: Catalogue? = nil
        var catalogueRow: CatalogueVersion? = nil
        if let cid = a.$catalogue.id {
            catalogue = try await req.application.plans.catalogue(id: cid, on: req.db)
            catalogueRow = try await req.application.plans.row(id: cid, on: req.db)
        }
        var gapLabel: String? = nil
        if let aid = a.$gapAssessment.id, let assessment = try await Assessment.find(aid, on: req.db) {
            let f = try await req.application.benchmarks.framework(id: assessment.$framework.id, on: req.db)
            gapLabel = "\(f.title(req.language.rawValue)) \(assessment.year): \(f.keyFactor(a.gapKeyFactor ?? "")?.title(req.language.rawValue) ?? a.gapKeyFactor ?? "")"
        }
        var practiceTitle: String? = nil
        if let slug = a.practiceSlug { practiceTitle = try await Self.publishedPractice(slug, req)?.title(req.language.rawValue) }
        let canSeeGap = a.$gapAssessment.id != nil && BenchmarkPermissions.allows(req.actor, .viewAssessments(organisation: a.$organisation.id))
        let removable = Set(([a.$organisation.id] + reporters.compactMap(\.id)).filter {
            PlanPermissions.allows(req.actor, .removeValue(organisation: a.$organisation.id, reporter: $0))
        })
        return PlanViews.action(req.page(), organisation: org, plan: plan, action: a, data: data, catalogue: catalogue, reporters: reporters, removableReporters: removable,
                                mayReportFor: mayReport, canEdit: PlanPermissions.allows(req.actor, .editPlan(organisation: a.$organisation.id)),
                                gapLabel: gapLabel, gapLink: canSeeGap ? SiteURL.assessmentReport(a.$gapAssessment.id).path + "#kf-\(a.gapKeyFactor ?? "")" : nil,
                                canSeePlan: PlanPermissions.allows(req.actor, .viewPlan(organisation: a.$organisation.id, published: plan.published)),
                                canSeeCatalogue: catalogueRow.map {
                                    PlanPermissions.allows(req.actor, .viewCatalogue(publisher: $0.$publisher.id, published: $0.isVisibleToAll))
                                } ?? false,
                                practiceTitle: practiceTitle,
                                errors: errors, input: input, status: status)
    }

    @Sendable func action(req: Request) async throws -> Response {
        let (a, plan, partners) = try await Self.loadAction(req)
        return try await renderAction(req, a, plan: plan, partners: partners)
    }

    @Sendable func addPartner(req: Request) async throws -> Response {
        let (a, plan, partners) = try await Self.loadAction(req, edit: true)
        let fields = try req.content.decode([String: String].self)
        var partnerID = Int(fields["partner_id"] ?? "")
        var errors = FieldErrors()
        if partnerID == nil {
            let name = (fields["partner"] ?? "").trimmingWhitespace()
            if name.isEmpty { errors.add("partner", "error.partner.missing") }
            else {
                let matches = try await OrganisationLookup.candidates(name, on: req.db)
                if matches.isEmpty { errors.add("partner", "error.partner.notFound", [name]) }
                else if matches.count > 1 {
                    errors.add("partner", "error.partner.several", [name, matches.map { "\($0.name) (\($0.country), \(req.t("kind.\($0.kind)")))" }.joined(separator: "; ")])
                } else { partnerID = matches[0].id }
            }
        }
        if errors.isEmpty, let e = try await PlanUseCases.addPartner(a, organisation: partnerID, on: req.db) { errors = e }
        if !errors.isEmpty { return try await renderAction(req, a, plan: plan, partners: partners, errors: errors, input: fields, status: .unprocessableEntity) }
        let response = req.redirect(to: SiteURL.planAction(a.id).path + "#partners", redirectType: .normal)
        Flash.set("flash.partnerAdded", on: response)
        return response
    }

    @Sendable func removePartner(req: Request) async throws -> Response {
        let (a, _, _) = try await Self.loadAction(req, edit: true)
        guard try await PlanUseCases.removePartner(a, organisation: try req.intParameter("partnerID"), on: req.db) else { throw Abort(.notFound) }
        let response = req.redirect(to: SiteURL.planAction(a.id).path + "#partners", redirectType: .normal)
        Flash.set("flash.partnerRemoved", on: response)
        return response
    }

    @Sendable func removeValue(req: Request) async throws -> Response {
        guard let v = try await IndicatorValueRow.find(try req.intParameter("valueID"), on: req.db),
              let indicator = try await PlanIndicator.find(v.$indicator.id, on: req.db),
              let a = try await PlanAction.find(indicator.$action.id, on: req.db) else { throw Abort(.notFound) }
        try Self.authorize(req, .removeValue(organisation: a.$organisation.id, reporter: v.$reporter.id))
        try await PlanUseCases.removeValue(v, on: req.db)
        let response = req.redirect(to: SiteURL.planAction(a.id).path + "#indicator-\(indicator.id ?? 0)", redirectType: .normal)
        Flash.set("flash.valueRemoved", on: response)
        return response
    }

    @Sendable func addIndicator(req: Request) async throws -> Response {
        let (a, plan, partners) = try await Self.loadAction(req, edit: true)
        let fields = try req.content.decode([String: String].self)
        var input = IndicatorInput()
        input.name = fields["name"] ?? ""; input.unit = fields["unit"] ?? ""; input.scale = fields["scale"] ?? ""; input.direction = fields["direction"] ?? ""
        input.baseline = fields["baseline"] ?? ""; input.target = fields["target"] ?? ""; input.howMeasured = fields["how_measured"] ?? ""
        switch try await PlanUseCases.addIndicator(a, input: input, on: req.db) {
        case .failure(let e): return try await renderAction(req, a, plan: plan, partners: partners, errors: e, input: fields, status: .unprocessableEntity)
        case .success(let i):
            let response = req.redirect(to: SiteURL.planAction(a.id).path + "#indicator-\(i.id ?? 0)", redirectType: .normal)
            Flash.set("flash.indicatorAdded", on: response)
            return response
        }
    }

    @Sendable func addUpdate(req: Request) async throws -> Response {
        let (a, plan, partners) = try await Self.loadAction(req, edit: true)
        let fields = try req.content.decode([String: String].self)
        switch try await PlanUseCases.addUpdate(a, day: fields["update_day"] ?? "", text: fields["update_text"] ?? "", status: fields["update_status"] ?? "",
                                                by: try req.requireUser(), on: req.db) {
        case .failure(let e): return try await renderAction(req, a, plan: plan, partners: partners, errors: e, input: fields, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.planAction(a.id).path + "#updates", redirectType: .normal)
            Flash.set("flash.updateAdded", on: response)
            return response
        }
    }

    /// The Dutch (and English) unit names of a catalogue indicator, so that "12 personen" reads as 12 persons.
    static func unitNames(of indicator: PlanIndicator, action a: PlanAction, req: Request) async throws -> [String] {
        guard let cid = a.$catalogue.id, let actionID = a.catalogueActionID, let indID = indicator.catalogueIndicatorID else { return [] }
        let c = try await req.application.plans.catalogue(id: cid, on: req.db)
        guard let ind = c.action(actionID)?.indicators.first(where: { $0.id == indID }) else { return [] }
        return Array(ind.unit.values.values)
    }

    @Sendable func addValue(req: Request) async throws -> Response {
        let id = try req.intParameter("indicatorID")
        guard let indicator = try await PlanIndicator.find(id, on: req.db) else { throw Abort(.notFound) }
        let a = try await indicator.$action.get(on: req.db)
        let plan = try await a.$plan.get(on: req.db)
        let partners = try await PlanUseCases.partnerIDs(of: a, on: req.db)
        try Self.authorize(req, .reportValues(organisation: a.$organisation.id, partners: partners))
        let fields = try req.content.decode([String: String].self)
        let prefix = "value\(id)_"
        switch try await PlanUseCases.addValue(indicator, action: a, partners: partners, reporter: Int(fields[prefix + "reporter"] ?? ""), day: fields[prefix + "day"] ?? "",
                                               value: fields[prefix + "value"] ?? "", note: fields[prefix + "note"] ?? "", actor: req.actor,
                                               by: try req.requireUser(), extraUnitNames: try await Self.unitNames(of: indicator, action: a, req: req), on: req.db) {
        case .failure(let e):
            var prefixed = FieldErrors()
            prefixed.add(e) { prefix + $0 }
            if !PlanPermissions.allows(req.actor, .viewPlanAction(organisation: a.$organisation.id, published: plan.published, partners: partners)) { throw Abort(.forbidden) }
            return try await renderAction(req, a, plan: plan, partners: partners, errors: prefixed, input: fields, status: .unprocessableEntity)
        case .success:
            let response = req.redirect(to: SiteURL.planAction(a.id).path + "#indicator-\(id)", redirectType: .normal)
            Flash.set("flash.valueAdded", on: response)
            return response
        }
    }

    // MARK: report and export

    @Sendable func report(req: Request) async throws -> Response {
        let (org, plan) = try await Self.organisationForPlan(req)
        let orgID = try org.requireID()
        let year = (try? req.query.get(Int.self, at: "year")) ?? Day.today.year
        guard (2000...2100).contains(year) else { throw MessageError(status: .badRequest, key: "error.year.range", arguments: ["2000", "2100"]) }
        let actions = try await PlanAction.query(on: req.db).filter(\.$organisation.$id == orgID).sort(\.$startDay).sort(\.$id).all()
            .filter { $0.start <= Day(year, 12, 31) && $0.end >= Day(year, 1, 1) }
        var data = try await PlanData.load(actions: actions, on: req.db)
        try await data.translateTitles(actions, language: req.language.rawValue, plans: req.application.plans, on: req.db)
        return PlanViews.report(req.page(), organisation: org, plan: plan, year: year, actions: actions, data: data)
    }

    @Sendable func export(req: Request) async throws -> Response {
        let (org, _) = try await Self.organisationForPlan(req)
        let actions = try await PlanAction.query(on: req.db).filter(\.$organisation.$id == org.requireID()).sort(\.$startDay).sort(\.$id).all()
        let data = try await PlanData.load(actions: actions, on: req.db)
        return .download(PlanExports.plan(actions: actions, data: data), type: .csvUTF8, filename: "\(org.slug)-action-plan.csv")
    }
}

/// Everything the plan pages show about a set of actions, read in a few queries.
struct PlanData {
    var partners: [Int: [Organisation]] = [:]
    var indicators: [Int: [PlanIndicator]] = [:]
    var values: [Int: [IndicatorValueRow]] = [:]
    var updates: [Int: [PlanUpdate]] = [:]
    var organisations: [Int: Organisation] = [:]
    /// Titles of catalogue actions the municipality has not renamed, in the reader's language.
    var titles: [Int: String] = [:]

    func title(_ a: PlanAction) -> String { titles[a.id ?? -1] ?? a.title }

    /// Shows catalogue actions under their catalogue title in the reader's language while the municipality keeps it.
    mutating func translateTitles(_ actions: [PlanAction], language: String, plans: PlanStore, on db: any Database) async throws {
        for a in actions {
            guard let cid = a.$catalogue.id, let actionID = a.catalogueActionID, let id = a.id else { continue }
            let c = try await plans.catalogue(id: cid, on: db)
            if let ca = c.action(actionID), ca.title("en") == a.title { titles[id] = ca.title(language) }
        }
    }

    static func load(actions: [PlanAction], on db: any Database) async throws -> PlanData {
        var d = PlanData()
        let ids = actions.compactMap(\.id)
        guard !ids.isEmpty else { return d }
        let partnerRows = try await PlanActionPartner.query(on: db).filter(\.$action.$id ~~ ids).with(\.$organisation).all()
        for p in partnerRows { d.partners[p.$action.id, default: []].append(p.organisation); d.organisations[p.$organisation.id] = p.organisation }
        d.partners = d.partners.mapValues { $0.sorted { $0.name < $1.name } }
        let indicators = try await PlanIndicator.query(on: db).filter(\.$action.$id ~~ ids).sort(\.$id).all()
        for i in indicators { d.indicators[i.$action.id, default: []].append(i) }
        let indicatorIDs = indicators.compactMap(\.id)
        if !indicatorIDs.isEmpty {
            let values = try await IndicatorValueRow.query(on: db).filter(\.$indicator.$id ~~ indicatorIDs).with(\.$enteredBy).sort(\.$day).sort(\.$id).all()
            for v in values { d.values[v.$indicator.id, default: []].append(v) }
            let reporterIDs = Set(values.map(\.$reporter.id)).subtracting(d.organisations.keys)
            if !reporterIDs.isEmpty {
                for o in try await Organisation.query(on: db).filter(\.$id ~~ Array(reporterIDs)).all() { d.organisations[o.id!] = o }
            }
        }
        for o in Set(actions.map(\.$organisation.id)).subtracting(d.organisations.keys) {
            if let org = try await Organisation.find(o, on: db) { d.organisations[o] = org }
        }
        let updates = try await PlanUpdate.query(on: db).filter(\.$action.$id ~~ ids).with(\.$user).sort(\.$day, .descending).sort(\.$id, .descending).all()
        for u in updates { d.updates[u.$action.id, default: []].append(u) }
        return d
    }

    func domainValues(_ indicator: PlanIndicator) -> [IndicatorValue] {
        (values[indicator.id ?? -1] ?? []).compactMap { v in Day(v.day).map { IndicatorValue(reporter: v.$reporter.id, day: $0, value: v.value) } }
    }
}
