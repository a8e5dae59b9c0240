import Fluent
import LivingTogetherCore
import Vapor

/// What the plan pages and the API do, in one place: catalogues, requests and their decisions, plans,
/// indicators, values and updates. Every write is one transaction that also bumps `plans_generation`.
enum PlanUseCases {
    // MARK: catalogues

    /// Stores an uploaded catalogue as a new draft version of the publisher.
    static func uploadCatalogue(_ data: Data, file: String, publisher: Int, by user: CurrentUser, on db: any Database) async throws -> Result<CatalogueVersion, FrameworkProblems> {
        switch CatalogueLoader.load(data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let c):
            let latest = try await CatalogueVersion.query(on: db).filter(\.$catalogueKey == c.id).sort(\.$version, .descending).first()
            if let latest, latest.version >= c.version {
                return .failure(FrameworkProblems([FrameworkError(file: file, path: "version",
                    problem: "version \(c.version) is not newer than the stored version \(latest.version) of \"\(c.id)\"; stored versions never change")]))
            }
            if let latest, let owner = latest.$publisher.id, owner != publisher {
                return .failure(FrameworkProblems([FrameworkError(file: file, path: "id",
                    problem: "\"\(c.id)\" is published by another organisation; choose another id")]))
            }
            let row = CatalogueVersion(key: c.id, version: c.version, content: try PlanStore.encode(c), publisher: publisher, uploadedBy: user.id)
            try await db.transaction { tx in
                try await row.create(on: tx)
                try await PlanStore.bump(on: tx)
            }
            return .success(row)
        }
    }

    /// Publishes or withdraws a version. Publishing a shipped catalogue that nobody publishes makes `publisher` its publisher.
    /// The row is read afresh (the one given may be the cached, shared one) and returned as stored.
    @discardableResult
    static func setStatus(_ cached: CatalogueVersion, to status: CatalogueStatus, publisher: Int?, on db: any Database) async throws -> CatalogueVersion {
        guard let row = try await PlanStore.row(id: cached.requireID(), on: db) else { throw Abort(.notFound) }
        if row.$publisher.id == nil, let publisher { row.$publisher.id = publisher }
        row.status = status.rawValue
        switch status {
        case .published: row.publishedAt = row.publishedAt ?? Date(); row.withdrawnAt = nil
        case .withdrawn: row.withdrawnAt = Date()
        case .draft: break
        }
        try await db.transaction { tx in
            try await row.save(on: tx)
            try await PlanStore.bump(on: tx)
        }
        return row
    }

    /// The catalogue versions a person sees: published and withdrawn ones, and the drafts of their organisations.
    static func visibleCatalogues(_ actor: Actor, on db: any Database) async throws -> [CatalogueVersion] {
        try await CatalogueVersion.query(on: db).field(\.$id).field(\.$catalogueKey).field(\.$version).field(\.$publisher.$id).field(\.$status)
            .field(\.$publishedAt).field(\.$withdrawnAt).field(\.$createdAt)
            .sort(\.$catalogueKey).sort(\.$version, .descending).all()
            .filter { PlanPermissions.allows(actor, .viewCatalogue(publisher: $0.$publisher.id, published: $0.isVisibleToAll)) }
    }

    /// The actions of the catalogues the actor may read, each once (with the newest version's title), ordered by
    /// title: what a mentoring programme or a learning network may be about.
    static func catalogueActions(_ actor: Actor, language: String, plans: PlanStore,
                                 on db: any Database) async throws -> [(id: String, title: String)] {
        var seen: [String: String] = [:]
        for row in try await visibleCatalogues(actor, on: db) {
            let c = try await plans.catalogue(row, on: db)
            for o in c.objectives {
                for a in o.actions where seen[a.id] == nil { seen[a.id] = a.title(language) }
            }
        }
        return seen.map { (id: $0.key, title: $0.value) }.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
    }

    // MARK: requests

    /// The actions a municipality already has pending, waiting for its change, or approved in this catalogue version.
    static func alreadyRequested(organisation: Int, catalogue: Int, on db: any Database) async throws -> Set<String> {
        let requests = try await UptakeRequest.query(on: db).filter(\.$organisation.$id == organisation).filter(\.$catalogue.$id == catalogue).all()
        guard !requests.isEmpty else { return [] }
        let items = try await UptakeRequestItem.query(on: db).filter(\.$request.$id ~~ requests.compactMap(\.id)).all()
        return Set(items.filter { $0.itemStatus != .declined }.map(\.actionID))
    }

    static func createRequest(organisation: Organisation, catalogueRow: CatalogueVersion, selected: [(actionID: String, budget: String)],
                              motivation: String, by user: CurrentUser, on db: any Database, plans: PlanStore) async throws -> Result<UptakeRequest, FieldErrors> {
        let catalogue = try await plans.catalogue(catalogueRow, on: db)
        if organisation.organisationKind != .municipality {
            var e = FieldErrors(); e.add("organisation", "error.uptake.notMunicipality"); return .failure(e)
        }
        let already = try await alreadyRequested(organisation: organisation.requireID(), catalogue: catalogueRow.requireID(), on: db)
        switch UptakeRules.check(catalogue: catalogue, status: catalogueRow.catalogueStatus, selected: selected, motivation: motivation, alreadyRequested: already,
                                  today: Day.today) {
        case .failure(let e): return .failure(e)
        case .success(let lines):
            let request = UptakeRequest()
            request.$organisation.id = try organisation.requireID()
            request.$catalogue.id = try catalogueRow.requireID()
            request.$coordinator.id = catalogueRow.$publisher.id
            request.status = UptakeRequestStatus.submitted.rawValue
            request.motivation = motivation.trimmingWhitespace()
            request.$createdBy.id = user.id
            try await db.transaction { tx in
                try await request.create(on: tx)
                for l in lines {
                    let item = UptakeRequestItem()
                    item.$request.id = try request.requireID()
                    item.actionID = l.actionID
                    item.budget = l.budget
                    item.status = UptakeItemStatus.pending.rawValue
                    try await item.create(on: tx)
                }
                try await event(request, action: nil, kind: "submitted", comment: nil, user: user.id, organisation: request.$organisation.id, on: tx)
                try await PlanStore.bump(on: tx)
            }
            return .success(request)
        }
    }

    static func event(_ request: UptakeRequest, action: String?, kind: String, comment: String?, user: Int?, organisation: Int?, on db: any Database) async throws {
        let e = UptakeEvent()
        e.$request.id = try request.requireID()
        e.actionID = action
        e.kind = kind
        e.comment = comment
        e.$user.id = user
        e.$organisation.id = organisation
        e.at = Date()
        try await e.create(on: db)
    }

    /// The coordinator's decision on one action of a request. An approval puts the action into the municipality's plan.
    static func decide(_ request: UptakeRequest, actionID: String, decision: UptakeDecision, comment: String, by user: CurrentUser,
                       on db: any Database, plans: PlanStore) async throws -> Result<UptakeRequestItem, FieldErrors> {
        guard let item = try await UptakeRequestItem.query(on: db).filter(\.$request.$id == request.requireID()).filter(\.$actionID == actionID).first() else {
            var e = FieldErrors(); e.add("action", "error.uptake.unknownAction", [actionID]); return .failure(e)
        }
        guard let catalogueRow = try await PlanStore.row(id: request.$catalogue.id, on: db) else { throw Abort(.notFound) }
        let catalogue = try await plans.catalogue(catalogueRow, on: db)
        let ended = UptakeRules.periodEnded(catalogue, today: Day.today)
        if let problem = UptakeRules.checkDecision(decision, on: item.itemStatus, comment: comment, periodEnded: ended) {
            let onDecision = problem == "error.uptake.notPending" || problem == "error.uptake.periodEnded"
            let arguments = problem == "error.text.long" ? [String(UptakeRules.maximumCommentLength)]
                : problem == "error.uptake.periodEnded" ? [ended?.description ?? ""] : []
            var e = FieldErrors(); e.add(onDecision ? "decision:\(actionID)" : "comment:\(actionID)", problem, arguments)
            return .failure(e)
        }
        let text = comment.trimmingWhitespace()
        item.status = decision.resultingStatus.rawValue
        item.comment = text.isEmpty ? nil : text
        try await db.transaction { tx in
            try await item.save(on: tx)
            try await event(request, action: actionID, kind: decision.rawValue, comment: item.comment, user: user.id, organisation: request.$coordinator.id, on: tx)
            try await refreshStatus(request, on: tx)
            if decision == .approve, let action = catalogue.action(actionID) {
                try await addTakenUpAction(action, catalogue: catalogue, catalogueRow: catalogueRow, item: item, organisation: request.$organisation.id, on: tx)
            }
            try await PlanStore.bump(on: tx)
        }
        return .success(item)
    }

    /// The municipality answers a request for changes: a new budget and a reply; the action waits for a decision again.
    static func revise(_ request: UptakeRequest, actionID: String, budget: String, reply: String, by user: CurrentUser,
                       on db: any Database, plans: PlanStore) async throws -> Result<UptakeRequestItem, FieldErrors> {
        var errors = FieldErrors()
        guard let item = try await UptakeRequestItem.query(on: db).filter(\.$request.$id == request.requireID()).filter(\.$actionID == actionID).first() else {
            errors.add("action", "error.uptake.unknownAction", [actionID]); return .failure(errors)
        }
        guard item.itemStatus == .changesRequested else { errors.add("budget:\(actionID)", "error.uptake.noChangeAsked"); return .failure(errors) }
        var amount: Double? = nil
        guard let catalogueRow = try await PlanStore.row(id: request.$catalogue.id, on: db) else { throw Abort(.notFound) }
        let action = try await plans.catalogue(catalogueRow, on: db).action(actionID)
        switch UptakeRules.readBudget(budget, for: action) {
        case .failure(let p): errors.add("budget:\(actionID)", p.key, p.arguments)
        case .success(let b): amount = b
        }
        let text = reply.trimmingWhitespace()
        if text.isEmpty { errors.add("reply:\(actionID)", "error.uptake.replyMissing") }
        if text.count > UptakeRules.maximumCommentLength { errors.add("reply:\(actionID)", "error.text.long", [String(UptakeRules.maximumCommentLength)]) }
        guard errors.isEmpty else { return .failure(errors) }
        item.budget = amount
        item.status = UptakeItemStatus.pending.rawValue
        try await db.transaction { tx in
            try await item.save(on: tx)
            try await event(request, action: actionID, kind: "revised", comment: text, user: user.id, organisation: request.$organisation.id, on: tx)
            try await refreshStatus(request, on: tx)
            try await PlanStore.bump(on: tx)
        }
        return .success(item)
    }

    static func refreshStatus(_ request: UptakeRequest, on db: any Database) async throws {
        let items = try await UptakeRequestItem.query(on: db).filter(\.$request.$id == request.requireID()).all()
        request.status = UptakeRequestStatus.of(items.map(\.itemStatus)).rawValue
        try await request.save(on: db)
    }

    // MARK: plans

    static func plan(of organisation: Int, on db: any Database) async throws -> ActionPlan {
        if let p = try await ActionPlan.query(on: db).filter(\.$organisation.$id == organisation).first() { return p }
        let p = ActionPlan()
        p.$organisation.id = organisation
        p.published = false
        try await p.create(on: db)
        return p
    }

    /// An approved action enters the plan with the catalogue's indicators and targets, the requested budget,
    /// and the catalogue's period as dates and as the end of its funding.
    static func addTakenUpAction(_ action: Catalogue.Action, catalogue: Catalogue, catalogueRow: CatalogueVersion, item: UptakeRequestItem,
                                 organisation: Int, on db: any Database) async throws {
        let plan = try await plan(of: organisation, on: db)
        let a = PlanAction()
        a.$plan.id = try plan.requireID()
        a.$organisation.id = organisation
        a.$catalogue.id = try catalogueRow.requireID()
        a.catalogueActionID = action.id
        a.$requestItem.id = item.id
        a.title = action.title("en")
        a.goals = ""
        a.activities = ""
        a.owner = ""
        let today = Day.today
        // From the catalogue's start (or today, when that has passed) to its end (or a year on, when that has passed too).
        let start = max(Day(catalogue.period.start) ?? today, today)
        let periodEnd = Day(catalogue.period.end) ?? start
        let end = periodEnd > start ? periodEnd : start.adding(months: 12)
        a.startDay = start.description
        a.endDay = end.description
        a.budget = item.budget
        a.status = PlanFollowUp.Status.planned.rawValue
        a.fundingEnd = action.funding == nil ? nil : catalogue.period.end
        a.continuation = ""
        try await a.create(on: db)
        for ind in action.indicators {
            let i = PlanIndicator()
            i.$action.id = try a.requireID()
            i.catalogueIndicatorID = ind.id
            i.name = ind.name("en")
            i.unit = ind.unit("en")
            i.scale = ind.effectiveScale.rawValue
            i.direction = ind.direction.rawValue
            i.baseline = 0
            i.target = ind.target
            i.maximum = ind.maximum
            i.howMeasured = ind.howMeasured("en")
            try await i.create(on: db)
        }
    }

    static func apply(_ c: PlanActionInput.Checked, to a: PlanAction) {
        a.title = c.title; a.goals = c.goals; a.activities = c.activities; a.owner = c.owner
        a.startDay = c.start.description; a.endDay = c.end.description; a.budget = c.budget; a.status = c.status.rawValue
        a.fundingEnd = c.fundingEnd?.description; a.continuation = c.continuation
    }

    /// The municipality's own action (not from a catalogue).
    static func createAction(organisation: Int, input: PlanActionInput, gap: (assessment: Int, keyFactor: String)?, practice: String? = nil,
                             on db: any Database) async throws -> Result<PlanAction, FieldErrors> {
        switch input.check() {
        case .failure(let e): return .failure(e)
        case .success(let c):
            let a = PlanAction()
            apply(c, to: a)
            a.practiceSlug = practice
            a.$organisation.id = organisation
            a.$gapAssessment.id = gap?.assessment
            a.gapKeyFactor = gap?.keyFactor
            try await db.transaction { tx in
                a.$plan.id = try await plan(of: organisation, on: tx).requireID()
                try await a.create(on: tx)
                try await PlanStore.bump(on: tx)
            }
            return .success(a)
        }
    }

    static func updateAction(_ a: PlanAction, input: PlanActionInput, gap: (assessment: Int, keyFactor: String)?, on db: any Database) async throws -> Result<PlanAction, FieldErrors> {
        switch input.check() {
        case .failure(let e): return .failure(e)
        case .success(let c):
            apply(c, to: a)
            a.$gapAssessment.id = gap?.assessment
            a.gapKeyFactor = gap?.keyFactor
            try await db.transaction { tx in
                try await a.save(on: tx)
                try await PlanStore.bump(on: tx)
            }
            return .success(a)
        }
    }

    /// The benchmark gaps an action can answer: the key factors the municipality carried forward to its action plan.
    static func gaps(of organisation: Int, on db: any Database, benchmarks: BenchmarkStore, language: String) async throws -> [(value: String, label: String)] {
        let followUps = try await FollowUp.query(on: db).filter(\.$organisation.$id == organisation).filter(\.$kind == "action").with(\.$assessment).all()
        var out: [(String, String)] = []
        for f in followUps {
            let framework = try await benchmarks.framework(id: f.assessment.$framework.id, on: db)
            let kf = framework.keyFactor(f.keyFactorID)?.title(language) ?? f.keyFactorID
            out.append(("\(f.assessment.id ?? 0):\(f.keyFactorID)", "\(framework.title(language)) \(f.assessment.year): \(kf)"))
        }
        return out
    }

    /// Reads the gap field ("ASSESSMENT:KEY_FACTOR") against the organisation's follow-ups.
    static func readGap(_ raw: String?, organisation: Int, on db: any Database) async throws -> Result<(assessment: Int, keyFactor: String)?, FieldErrors> {
        let text = (raw ?? "").trimmingWhitespace()
        if text.isEmpty { return .success(nil) }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, let id = Int(parts[0]),
           try await FollowUp.query(on: db).filter(\.$organisation.$id == organisation).filter(\.$kind == "action").filter(\.$assessment.$id == id)
            .filter(\.$keyFactorID == parts[1]).count() > 0 {
            return .success((id, parts[1]))
        }
        var e = FieldErrors(); e.add("gap", "error.choice.unknown"); return .failure(e)
    }

    static func addPartner(_ a: PlanAction, organisation partnerID: Int?, on db: any Database) async throws -> FieldErrors? {
        var e = FieldErrors()
        guard let partnerID, let org = try await Organisation.find(partnerID, on: db) else { e.add("partner", "error.partner.unknown"); return e }
        if org.id == a.$organisation.id { e.add("partner", "error.partner.self"); return e }
        let exists = try await PlanActionPartner.query(on: db).filter(\.$action.$id == a.requireID()).filter(\.$organisation.$id == partnerID).count() > 0
        if exists { e.add("partner", "error.partner.exists", [org.name]); return e }
        let p = PlanActionPartner()
        p.$action.id = try a.requireID()
        p.$organisation.id = partnerID
        try await db.transaction { tx in
            try await p.create(on: tx)
            try await PlanStore.bump(on: tx)
        }
        return nil
    }

    /// Ends a partnership (the values the partner reported stay, as history). False when it was no partner.
    static func removePartner(_ a: PlanAction, organisation partnerID: Int, on db: any Database) async throws -> Bool {
        guard let row = try await PlanActionPartner.query(on: db).filter(\.$action.$id == a.requireID()).filter(\.$organisation.$id == partnerID).first() else {
            return false
        }
        try await db.transaction { tx in
            try await row.delete(on: tx)
            try await PlanStore.bump(on: tx)
        }
        return true
    }

    /// Takes back a value reported by mistake.
    static func removeValue(_ v: IndicatorValueRow, on db: any Database) async throws {
        try await db.transaction { tx in
            try await v.delete(on: tx)
            try await PlanStore.bump(on: tx)
        }
    }

    static func addIndicator(_ a: PlanAction, input: IndicatorInput, on db: any Database) async throws -> Result<PlanIndicator, FieldErrors> {
        switch input.check() {
        case .failure(let e): return .failure(e)
        case .success(let c):
            let i = PlanIndicator()
            i.$action.id = try a.requireID()
            i.name = c.name; i.unit = c.unit; i.scale = c.scale.rawValue; i.direction = c.direction.rawValue
            i.baseline = c.baseline; i.target = c.target; i.howMeasured = c.howMeasured
            try await db.transaction { tx in
                try await i.create(on: tx)
                try await PlanStore.bump(on: tx)
            }
            return .success(i)
        }
    }

    /// The organisations that may report values of an action's indicators: the municipality and its partners.
    static func reporters(of a: PlanAction, on db: any Database) async throws -> [Organisation] {
        let partnerIDs = try await PlanActionPartner.query(on: db).filter(\.$action.$id == a.requireID()).all().map(\.$organisation.id)
        return try await Organisation.query(on: db).filter(\.$id ~~ ([a.$organisation.id] + partnerIDs)).sort(\.$name).all()
    }

    /// An action another municipality runs on which one of the given organisations is a partner.
    struct PartnerWork {
        var action: PlanAction
        var owner: Organisation
        var partner: Organisation
        var planPublished: Bool
    }

    /// The actions the given organisations report on as partners, by owner and start: what a partner's members look for.
    static func partnerWork(of organisations: [Int], on db: any Database) async throws -> [PartnerWork] {
        guard !organisations.isEmpty else { return [] }
        let links = try await PlanActionPartner.query(on: db).filter(\.$organisation.$id ~~ organisations).all()
        guard !links.isEmpty else { return [] }
        let actions = try await PlanAction.query(on: db).filter(\.$id ~~ links.map(\.$action.id)).with(\.$plan).all()
        let orgIDs = Set(actions.map(\.$organisation.id) + links.map(\.$organisation.id))
        let orgs = Dictionary(lastOf: try await Organisation.query(on: db).filter(\.$id ~~ Array(orgIDs)).all()
            .compactMap { o in o.id.map { ($0, o) } })
        let byID = Dictionary(lastOf: actions.compactMap { a in a.id.map { ($0, a) } })
        let work = links.compactMap { link -> PartnerWork? in
            guard let a = byID[link.$action.id], let owner = orgs[a.$organisation.id], let partner = orgs[link.$organisation.id]
            else { return nil }
            return PartnerWork(action: a, owner: owner, partner: partner, planPublished: a.plan.published)
        }
        return work.sorted { ($0.owner.name, $0.action.startDay, $0.action.id ?? 0) < ($1.owner.name, $1.action.startDay, $1.action.id ?? 0) }
    }

    static func partnerIDs(of a: PlanAction, on db: any Database) async throws -> [Int] {
        try await PlanActionPartner.query(on: db).filter(\.$action.$id == a.requireID()).all().map(\.$organisation.id)
    }

    /// One value of an indicator, for a reporting organisation the actor may report for. Errors keyed value, day, reporter, note.
    static func addValue(_ indicator: PlanIndicator, action a: PlanAction, partners: [Int], reporter: Int?, day: String, value: String, note: String,
                         actor: Actor, by user: CurrentUser, extraUnitNames: [String], on db: any Database) async throws -> Result<IndicatorValueRow, FieldErrors> {
        var errors = FieldErrors()
        let allowed = ([a.$organisation.id] + partners)
            .filter { PlanPermissions.allows(actor, .reportValues(organisation: $0, partners: [])) }
        if reporter == nil || !allowed.contains(reporter!) { errors.add("reporter", "error.value.reporter") }
        let d = Day(day.trimmingWhitespace())
        if d == nil { errors.addUnreadableDate("day", day) }
        if let d, d > Day.today { errors.add("day", "error.value.future") }
        var number = 0.0
        switch indicator.rule(extraUnitNames: extraUnitNames).read(value) {
        case .success(let v): number = v
        case .failure(let p): errors.add("value", p.messageKey, p.arguments)
        }
        if note.count > 1_000 { errors.add("note", "error.text.long", ["1000"]) }
        guard errors.isEmpty, let d, let reporter else { return .failure(errors) }
        let row = IndicatorValueRow()
        row.$indicator.id = try indicator.requireID()
        row.$reporter.id = reporter
        row.day = d.description
        row.value = number
        row.note = note.trimmingWhitespace()
        row.$enteredBy.id = user.id
        try await db.transaction { tx in
            try await row.create(on: tx)
            if (a.lastActivity.flatMap(Day.init) ?? Day(0, 1, 1)) < d { a.lastActivity = d.description; try await a.save(on: tx) }
            try await PlanStore.bump(on: tx)
        }
        return .success(row)
    }

    static func addUpdate(_ a: PlanAction, day: String, text: String, status: String, by user: CurrentUser, on db: any Database) async throws -> Result<PlanUpdate, FieldErrors> {
        var errors = FieldErrors()
        let d = Day(day.trimmingWhitespace())
        if d == nil { errors.addUnreadableDate("update_day", day) }
        if let d, d > Day.today { errors.add("update_day", "error.value.future") }
        let t = text.trimmingWhitespace()
        if t.isEmpty { errors.add("update_text", "error.update.textMissing") }
        if t.count > PlanActionInput.maximumTextLength { errors.add("update_text", "error.text.long", [String(PlanActionInput.maximumTextLength)]) }
        let s = PlanFollowUp.Status(rawValue: status)
        if s == nil { errors.add("update_status", "error.choice.unknown") }
        guard errors.isEmpty, let d, let s else { return .failure(errors) }
        let u = PlanUpdate()
        u.$action.id = try a.requireID()
        u.day = d.description
        u.text = t
        u.status = s.rawValue
        u.$user.id = user.id
        try await db.transaction { tx in
            try await u.create(on: tx)
            a.status = s.rawValue
            if (a.lastActivity.flatMap(Day.init) ?? Day(0, 1, 1)) < d { a.lastActivity = d.description }
            try await a.save(on: tx)
            try await PlanStore.bump(on: tx)
        }
        return .success(u)
    }

    static func setPublished(_ plan: ActionPlan, _ published: Bool, on db: any Database) async throws {
        plan.published = published
        try await db.transaction { tx in
            try await plan.save(on: tx)
            try await PlanStore.bump(on: tx)
        }
    }
}
