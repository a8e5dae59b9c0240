import Fluent
import LivingTogetherCore
import Vapor

/// The mentoring part of /api/v1: programmes, participants (with suggestions, export and erasure), rounds,
/// trajectories with their logbook, and learning networks with sessions. Writes go through `MentoringUseCases`,
/// checks of who may do what through `MentoringPermissions` (via the page controller's loaders).
struct MentoringAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get("mentoring", "programmes", use: programmes)
        api.post("mentoring", "programmes", use: createProgramme)
        api.get("mentoring", "programmes", ":programmeID", use: programme)
        api.patch("mentoring", "programmes", ":programmeID", use: setStatus)
        api.get("mentoring", "programmes", ":programmeID", "participants", use: participants)
        api.post("mentoring", "programmes", ":programmeID", "participants", use: enrol)
        api.post("mentoring", "programmes", ":programmeID", "rounds", use: proposeRound)
        api.post("mentoring", "programmes", ":programmeID", "staff", use: addStaff)
        api.get("mentoring", "participants", ":participantID", use: participant)
        api.delete("mentoring", "participants", ":participantID", use: erase)
        api.get("mentoring", "participants", ":participantID", "export", use: export)
        api.get("mentoring", "participants", ":participantID", "suggestions", use: suggestions)
        api.get("mentoring", "rounds", ":roundID", use: round)
        api.post("mentoring", "rounds", ":roundID", "confirm", use: confirmRound)
        api.get("mentoring", "pairs", ":pairID", use: pair)
        api.patch("mentoring", "pairs", ":pairID", use: updatePair)
        api.post("mentoring", "pairs", ":pairID", "stage", use: moveStage)
        api.post("mentoring", "pairs", ":pairID", "outcome", use: recordOutcome)
        api.get("mentoring", "pairs", ":pairID", "logbook", use: logbook)
        api.post("mentoring", "pairs", ":pairID", "logbook", use: addLog)
        api.post("mentoring", "pairs", ":pairID", "evaluations", use: evaluate)
        api.get("learning-networks", use: networks)
        api.post("learning-networks", use: createNetwork)
        api.get("learning-networks", ":networkID", use: network)
        api.post("learning-networks", ":networkID", "sessions", use: addSession)
        api.post("learning-networks", ":networkID", "members", use: addMember)
        api.put("learning-sessions", ":sessionID", "attendance", use: setAttendance)
    }

    typealias C = MentoringController

    // MARK: bodies

    struct ProgrammeDTO: Content {
        var id: Int; var title: String; var kind: String; var rules: String; var organiser_id: Int; var theme: String?
        var catalogue_action_id: String?; var status: String; var starts_on: String; var ends_on: String?
        var stages: [String]; var outcomes: [String]; var figures: FiguresDTO?
    }
    struct FiguresDTO: Content {
        struct Outcome: Content { var outcome: String; var positive: Bool; var count: Int; var percent: Double }
        var matched: Int; var active: Int; var ended: Int; var positive_percent: Double?; var outcomes: [Outcome]; var active_by_stage: [String: Int]
    }
    struct ParticipantDTO: Content {
        var id: Int; var programme_id: Int; var role: String; var name: String; var organisation_id: Int?; var email: String?
        var facts: [String: FactValue]; var sector: String?; var experience_years: Int?; var languages: [String]; var place: String?
        var hours_per_week: Double?; var capacity: Int; var free_places: Int?; var erased: Bool
    }
    struct SuggestionDTO: Content {
        struct Reason: Content { var factor: String; var text: String }
        var mentor_id: Int; var name: String; var score: Double; var reasons: [Reason]
    }
    struct RoundDTO: Content {
        struct Proposal: Content { var mentee_id: Int; var suggested_mentor_id: Int?; var mentor_id: Int?; var cost: Double? }
        var id: Int; var programme_id: Int; var status: String; var total_cost: Double; var proposals: [Proposal]
    }
    struct PairDTO: Content {
        struct Event: Content { var from: String?; var to: String; var comment: String; var at: Date }
        struct Evaluation: Content { var side: String; var rating: Int; var text: String }
        var id: Int; var programme_id: Int; var mentee_id: Int; var mentor_id: Int; var mentee: String; var mentor: String; var theme: String?
        var stage: String; var started_on: String; var ended_on: String?; var outcome: String?
        var agreement_signed_on: String?; var agreement_goals: String; var plan_long_term: String; var plan_pilot: String
        var history: [Event]; var evaluations: [Evaluation]
    }
    struct LogDTO: Content { var id: Int; var day: String; var kind: String; var note: String }
    struct NetworkDTO: Content {
        struct Session: Content { var id: Int; var day: String; var place: String; var link: String; var agenda: String; var notes: String; var materials: String; var attended_by: [Int] }
        var id: Int; var host_id: Int; var title: String; var description: String; var catalogue_action_id: String?
        var members: [Int]; var sessions: [Session]?; var sessions_held: Int; var qualified: Bool
    }

    static func dto(_ p: MentoringProgramme, _ rules: ProgrammeRules, figures f: ProgrammeFigures?) -> ProgrammeDTO {
        ProgrammeDTO(id: p.id ?? 0, title: p.title, kind: p.kind, rules: "\(p.rulesKey).v\(p.rulesVersion)", organiser_id: p.$organiser.id, theme: p.theme,
                     catalogue_action_id: p.catalogueActionID, status: p.status, starts_on: p.startsOn, ends_on: p.endsOn,
                     stages: rules.stages.map(\.id), outcomes: rules.outcomes.map(\.id),
                     figures: f.map { f in FiguresDTO(matched: f.matched, active: f.active, ended: f.ended, positive_percent: f.positivePercent,
                                                      outcomes: f.outcomes.map { .init(outcome: $0.outcome, positive: $0.positive, count: $0.count, percent: $0.percent) },
                                                      active_by_stage: Dictionary(lastOf: f.byStage.map { ($0.stage, $0.count) })) })
    }

    static func dto(_ m: MentoringParticipant, free: Int?) -> ParticipantDTO {
        ParticipantDTO(id: m.id ?? 0, programme_id: m.$programme.id, role: m.role, name: m.displayName, organisation_id: m.$organisation.id, email: m.email,
                       facts: m.factValues, sector: m.sector, experience_years: m.experienceYears, languages: m.languageList, place: m.place,
                       hours_per_week: m.hoursPerWeek, capacity: m.capacity, free_places: m.participantRole == .mentor ? free : nil, erased: m.erasedAt != nil)
    }



    // MARK: programmes

    @Sendable func programmes(req: Request) async throws -> [ProgrammeDTO] {
        var out: [ProgrammeDTO] = []
        for p in try await MentoringUseCases.visibleProgrammes(req.actor, on: req.db).sorted(by: { $0.id! < $1.id! }) {
            out.append(Self.dto(p, try MentoringUseCases.rules(of: p), figures: nil))
        }
        return out
    }

    @Sendable func createProgramme(req: Request) async throws -> Response {
        try C.requireEditor(req)
        struct Body: Content { var title: String?; var rules: String?; var organiser_id: Int?; var theme: String?; var catalogue_action_id: String?; var description: String?; var starts_on: String? }
        let b = try req.content.decode(Body.self)
        let input = MentoringUseCases.ProgrammeInput(title: b.title ?? "", rules: b.rules ?? "", organiser: b.organiser_id.map(String.init) ?? "", theme: b.theme ?? "",
                                                     catalogueAction: b.catalogue_action_id ?? "", description: b.description ?? "", startsOn: b.starts_on ?? Day.today.description)
        let frameworks = try await C.frameworks(req).map(\.id)
        let actions = try await C.catalogueActions(req).map(\.id)
        switch try await MentoringUseCases.createProgramme(input, actor: req.actor, by: try req.requireUser().id, frameworks: frameworks,
                                                           catalogueActions: actions, on: req.db) {
        case .failure(let e): return try APIController.invalid(APIController.renamed(e, ["organiser": "organiser_id", "catalogue_action": "catalogue_action_id"]), req)
        case .success(let p): return try APIController.created(Self.dto(p, try MentoringUseCases.rules(of: p), figures: nil), location: "/api/v1/mentoring/programmes/\(p.id!)")
        }
    }

    @Sendable func programme(req: Request) async throws -> ProgrammeDTO {
        let l = try await C.loadProgramme(req)
        return Self.dto(l.programme, l.rules, figures: try await MentoringUseCases.figures(l.programme, rules: l.rules, on: req.db))
    }

    @Sendable func setStatus(req: Request) async throws -> Response {
        let l = try await C.loadProgramme(req, manage: true)
        struct Body: Content { var status: String? }
        let status = try req.content.decode(Body.self).status ?? ""
        guard ["open", "closed"].contains(status) else { return try APIController.invalid(APIController.field("status", "error.choice.unknown"), req) }
        try await MentoringUseCases.setOpen(l.programme, status == "open", on: req.db)
        return try APIController.ok(Self.dto(l.programme, l.rules, figures: try await MentoringUseCases.figures(l.programme, rules: l.rules, on: req.db)))
    }

    @Sendable func participants(req: Request) async throws -> [ParticipantDTO] {
        let l = try await C.loadProgramme(req)
        let canManage = MentoringPermissions.allows(req.actor, .manageProgramme(l.perms))
        // A person-to-person programme's participants are its staff's to see; a city-to-city one's are public.
        if l.rules.kind == .personToPerson && !canManage { throw Abort(.forbidden) }
        let all = try await MentoringUseCases.participants(of: l.programme, on: req.db)
        let free = MentoringUseCases.freePlaces(all.filter { $0.participantRole == .mentor }, pairs: try await MentoringUseCases.pairs(of: l.programme, on: req.db))
        return all.map { m in
            var d = Self.dto(m, free: free[m.id!])
            if !canManage { d.facts = [:] }
            return d
        }
    }

    @Sendable func enrol(req: Request) async throws -> Response {
        let (l, _, _) = try await C.enrolAccess(req)
        struct Body: Content {
            var role: String?; var organisation_id: Int?; var name: String?; var email: String?; var account_email: String?
            var facts: [String: APIController.FlexibleText]?; var sector: String?; var experience_years: APIController.FlexibleText?; var languages: [String]?; var place: String?
            var hours_per_week: APIController.FlexibleText?; var capacity: APIController.FlexibleText?
        }
        let b = try req.content.decode(Body.self)
        var facts: [String: String] = [:]
        for (k, v) in b.facts ?? [:] { facts[k] = v.text }
        let input = MentoringUseCases.ParticipantInput(role: b.role ?? "", organisation: b.organisation_id.map(String.init) ?? "", name: b.name ?? "", email: b.email ?? "",
                                                       account: b.account_email ?? "", facts: facts, sector: b.sector ?? "", experienceYears: b.experience_years?.text ?? "",
                                                       languages: (b.languages ?? []).joined(separator: ","), place: b.place ?? "", hoursPerWeek: b.hours_per_week?.text ?? "",
                                                       capacity: b.capacity?.text ?? "")
        switch try await MentoringUseCases.enrol(l.programme, rules: l.rules, input, actor: req.actor, by: req.currentUser?.id, language: req.language.rawValue, on: req.db) {
        case .failure(let e):
            var names = ["organisation": "organisation_id", "account": "account_email"]
            for f in l.rules.facts { names["fact_\(f.id)"] = "facts.\(f.id)" }
            return try APIController.invalid(APIController.renamed(e, names), req)
        case .success(let m): return try APIController.created(Self.dto(m, free: m.capacity), location: "/api/v1/mentoring/participants/\(m.id!)")
        }
    }

    @Sendable func addStaff(req: Request) async throws -> Response {
        let l = try await C.loadProgramme(req, manage: true)
        struct Body: Content { var email: String? }
        switch try await MentoringUseCases.addStaff(l.programme, email: try req.content.decode(Body.self).email ?? "", on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.ok(Array(try await MentoringUseCases.staffIDs(of: l.programme, on: req.db)).sorted())
        }
    }

    // MARK: participants

    @Sendable func participant(req: Request) async throws -> ParticipantDTO {
        let (m, l) = try await C.loadParticipant(req, manage: false)
        let free = MentoringUseCases.freePlaces([m], pairs: try await MentoringUseCases.pairs(of: l.programme, on: req.db))
        return Self.dto(m, free: free[m.id!])
    }

    @Sendable func erase(req: Request) async throws -> HTTPStatus {
        let (m, l) = try await C.loadParticipant(req)
        guard l.rules.kind == .personToPerson else { throw Abort(.unprocessableEntity, reason: req.t("error.erase.cityToCity")) }
        try await MentoringUseCases.erase(m, on: req.db)
        return .noContent
    }

    @Sendable func export(req: Request) async throws -> MentoringUseCases.PersonExport {
        let (m, l) = try await C.loadParticipant(req)
        return try await MentoringUseCases.export(m, programme: l.programme, on: req.db)
    }

    @Sendable func suggestions(req: Request) async throws -> Response {
        let (m, l) = try await C.loadParticipant(req, manage: false)
        guard m.participantRole == .mentee else { return try APIController.invalid(APIController.field("participant", "error.suggestions.mentorsOnly"), req) }
        let limit = min(max((try? req.query.get(Int.self, at: "limit")) ?? 10, 1), 100)
        let framework = try await MentoringUseCases.framework(of: l.programme, benchmarks: req.application.benchmarks, on: req.db)
        let lang = req.language.rawValue
        switch try await MentoringUseCases.suggestions(for: m, in: l.programme, rules: l.rules, limit: limit, benchmarks: req.application.benchmarks, on: req.db) {
        case .failure(.ineligible(_, let failures)): return try APIController.invalid(FactInput.errors(failures, language: lang), req)
        case .failure(let other): return try APIController.invalid(APIController.field("participant", "error.round.invalid", [other.description]), req)
        case .success(let list):
            return try APIController.ok(list.map { s in
                SuggestionDTO(mentor_id: s.mentor.id ?? 0, name: s.mentor.displayName, score: (s.score * 100).rounded() / 100,
                              reasons: s.reasons.map { .init(factor: $0.factor, text: $0.text(lang, keyFactorTitle: { framework?.keyFactor($0)?.title(lang) ?? $0 })) })
            })
        }
    }

    // MARK: rounds

    static func roundDTO(_ r: RoundRow, on db: any Database) async throws -> RoundDTO {
        let props = try await MentoringProposal.query(on: db).filter(\.$round.$id == r.requireID()).sort(\.$id).all()
        return RoundDTO(id: r.id ?? 0, programme_id: r.$programme.id, status: r.status, total_cost: (r.totalCost * 1000).rounded() / 1000,
                        proposals: props.map { .init(mentee_id: $0.$mentee.id, suggested_mentor_id: $0.$suggestedMentor.id, mentor_id: $0.$mentor.id, cost: $0.score) })
    }

    @Sendable func proposeRound(req: Request) async throws -> Response {
        let l = try await C.loadProgramme(req, manage: true)
        switch try await MentoringUseCases.proposeRound(l.programme, rules: l.rules, by: req.currentUser?.id, benchmarks: req.application.benchmarks, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let r): return try APIController.created(try await Self.roundDTO(r, on: req.db), location: "/api/v1/mentoring/rounds/\(r.id!)")
        }
    }

    @Sendable func round(req: Request) async throws -> RoundDTO {
        let (r, _) = try await C.loadRound(req)
        return try await Self.roundDTO(r, on: req.db)
    }

    @Sendable func confirmRound(req: Request) async throws -> Response {
        let (r, l) = try await C.loadRound(req)
        struct Body: Content { var assignments: [String: Int?]? }
        let b = (try? req.content.decode(Body.self)) ?? Body(assignments: nil)
        var choice: [Int: Int?] = [:]
        for (k, v) in b.assignments ?? [:] {
            guard let mentee = Int(k) else { return try APIController.invalid(APIController.field("assignments", "error.choice.unknown"), req) }
            choice[mentee] = .some(v)
        }
        switch try await MentoringUseCases.reviewRound(r, l.programme, rules: l.rules, choice: choice, confirm: true, by: req.currentUser?.id, language: req.language.rawValue, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let pairs):
            var out: [PairDTO] = []
            for pair in pairs { out.append(try await Self.pairDTO(pair, on: req.db)) }
            return try APIController.ok(out)
        }
    }

    // MARK: trajectories

    static func pairDTO(_ pair: MentoringPair, on db: any Database) async throws -> PairDTO {
        let id = try pair.requireID()
        let people = Dictionary(lastOf: try await MentoringParticipant.query(on: db).filter(\.$id ~~ [pair.$mentee.id, pair.$mentor.id]).all().map { ($0.id!, $0.displayName) })
        let events = try await MentoringStageEvent.query(on: db).filter(\.$pair.$id == id).sort(\.$at).sort(\.$id).all()
        let evals = try await MentoringEvaluation.query(on: db).filter(\.$pair.$id == id).sort(\.$side).all()
        return PairDTO(id: id, programme_id: pair.$programme.id, mentee_id: pair.$mentee.id, mentor_id: pair.$mentor.id,
                       mentee: people[pair.$mentee.id] ?? "", mentor: people[pair.$mentor.id] ?? "", theme: pair.theme, stage: pair.stage,
                       started_on: pair.startedOn, ended_on: pair.endedOn, outcome: pair.outcome, agreement_signed_on: pair.agreementSignedOn,
                       agreement_goals: pair.agreementGoals, plan_long_term: pair.planLongTerm, plan_pilot: pair.planPilot,
                       history: events.map { .init(from: $0.fromStage, to: $0.toStage, comment: $0.comment, at: $0.at) },
                       evaluations: evals.map { .init(side: $0.side, rating: $0.rating, text: $0.text) })
    }

    @Sendable func pair(req: Request) async throws -> PairDTO {
        try await Self.pairDTO(try await C.loadPair(req).pair, on: req.db)
    }

    @Sendable func updatePair(req: Request) async throws -> Response {
        let lp = try await C.loadPair(req, write: true)
        struct Body: Content { var agreement_signed_on: String?; var agreement_goals: String?; var plan_long_term: String?; var plan_pilot: String? }
        let b = try req.content.decode(Body.self)
        // Both parts are stored or neither: a refused plan does not leave the agreement changed.
        struct Refused: Error { var errors: FieldErrors }
        let start = Day(lp.l.programme.startsOn)
        do {
            try await req.db.transaction { tx in
                if b.agreement_signed_on != nil || b.agreement_goals != nil {
                    if case .failure(let e) = try await MentoringUseCases.saveAgreement(
                        lp.pair, programmeStart: start, signedOn: b.agreement_signed_on ?? lp.pair.agreementSignedOn ?? "",
                        goals: b.agreement_goals ?? lp.pair.agreementGoals, on: tx) {
                        throw Refused(errors: APIController.renamed(e, ["signed_on": "agreement_signed_on", "goals": "agreement_goals"]))
                    }
                }
                if b.plan_long_term != nil || b.plan_pilot != nil {
                    if case .failure(let e) = try await MentoringUseCases.savePlan(
                        lp.pair, longTerm: b.plan_long_term ?? lp.pair.planLongTerm, pilot: b.plan_pilot ?? lp.pair.planPilot, on: tx) {
                        throw Refused(errors: APIController.renamed(e, ["long_term": "plan_long_term", "pilot": "plan_pilot"]))
                    }
                }
            }
        } catch let refused as Refused {
            return try APIController.invalid(refused.errors, req)
        }
        return try APIController.ok(try await Self.pairDTO(lp.pair, on: req.db))
    }

    @Sendable func moveStage(req: Request) async throws -> Response {
        let lp = try await C.loadPair(req, write: true)
        try C.authorize(req, .manageProgramme(lp.l.perms))
        struct Body: Content { var stage: String?; var comment: String? }
        let b = try req.content.decode(Body.self)
        switch try await MentoringUseCases.moveStage(lp.pair, to: b.stage ?? "", comment: b.comment ?? "", rules: lp.l.rules, by: req.currentUser?.id, language: req.language.rawValue, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.ok(try await Self.pairDTO(lp.pair, on: req.db))
        }
    }

    @Sendable func recordOutcome(req: Request) async throws -> Response {
        let lp = try await C.loadPair(req, write: true)
        try C.authorize(req, .manageProgramme(lp.l.perms))
        struct Body: Content { var outcome: String?; var ended_on: String?; var confirm_early: Bool?; var early_reason: String? }
        let b = try req.content.decode(Body.self)
        let ending = MentoringUseCases.Ending(outcome: b.outcome ?? "", day: b.ended_on ?? Day.today.description,
                                              confirmEarly: b.confirm_early ?? false, reason: b.early_reason ?? "")
        switch try await MentoringUseCases.end(lp.pair, ending, rules: lp.l.rules, by: req.currentUser?.id,
                                               language: req.language.rawValue, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.ok(try await Self.pairDTO(lp.pair, on: req.db))
        }
    }

    @Sendable func logbook(req: Request) async throws -> [LogDTO] {
        let lp = try await C.loadPair(req)
        return try await MentoringLogEntry.query(on: req.db).filter(\.$pair.$id == lp.pair.requireID()).sort(\.$day).sort(\.$id).all()
            .map { LogDTO(id: $0.id ?? 0, day: $0.day, kind: $0.kind, note: $0.note) }
    }

    @Sendable func addLog(req: Request) async throws -> Response {
        let lp = try await C.loadPair(req, write: true)
        struct Body: Content { var day: String?; var kind: String?; var note: String? }
        let b = try req.content.decode(Body.self)
        switch try await MentoringUseCases.addLog(lp.pair, programmeStart: Day(lp.l.programme.startsOn), day: b.day ?? "", kind: b.kind ?? "", note: b.note ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let entry): return try APIController.created(LogDTO(id: entry.id ?? 0, day: entry.day, kind: entry.kind, note: entry.note), location: "/api/v1/mentoring/pairs/\(lp.pair.id!)/logbook")
        }
    }

    @Sendable func evaluate(req: Request) async throws -> Response {
        let lp = try await C.loadPair(req)
        struct Body: Content { var side: String?; var rating: Int?; var text: String? }
        let b = try req.content.decode(Body.self)
        guard let side = MentoringRole(rawValue: b.side ?? "") else { return try APIController.invalid(APIController.field("side", "error.choice.unknown"), req) }
        try C.authorize(req, .evaluate(lp.l.perms, lp.who, side: side))
        switch try await MentoringUseCases.evaluate(lp.pair, side: side.rawValue, rating: b.rating.map(String.init) ?? "", text: b.text ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success: return try APIController.created(try await Self.pairDTO(lp.pair, on: req.db), location: "/api/v1/mentoring/pairs/\(lp.pair.id!)")
        }
    }

    // MARK: learning networks

    /// A network as the API shows it: `sessions_held` counts this network's sessions held so far; `qualified` says
    /// whether its host is a qualified mentor of the network's catalogue action (`MentoringUseCases.heldByAction`).
    static func networkDTO(_ n: LearningNetwork, sessions: [(session: LearningSession, present: [Int])]?, held: Int, byAction: [String: [Int: Int]],
                           on db: any Database) async throws -> NetworkDTO {
        let id = try n.requireID()
        let members = try await LearningNetworkMember.query(on: db).filter(\.$network.$id == id).all().map { $0.$organisation.id }.sorted()
        return NetworkDTO(id: id, host_id: n.$host.id, title: n.title, description: n.summary, catalogue_action_id: n.catalogueActionID, members: members,
                          sessions: sessions?.map { s, present in .init(id: s.id!, day: s.day, place: s.place, link: s.link, agenda: s.agenda, notes: s.notes,
                                                                           materials: s.materials, attended_by: present) },
                          sessions_held: held, qualified: MentoringUseCases.isQualified(host: n.$host.id, action: n.catalogueActionID, byAction))
    }

    /// One network with its sessions and attendance.
    static func networkDTO(_ n: LearningNetwork, on db: any Database) async throws -> NetworkDTO {
        let sessions = try await MentoringUseCases.sessions(of: n, on: db)
        let today = Day.today.description
        let byAction = n.catalogueActionID == nil ? [:] : try await MentoringUseCases.heldByAction(action: n.catalogueActionID, on: db)
        return try await networkDTO(n, sessions: sessions, held: sessions.filter { $0.session.day <= today }.count, byAction: byAction, on: db)
    }

    @Sendable func networks(req: Request) async throws -> [NetworkDTO] {
        try C.authorize(req, .viewNetworks)
        let all = try await LearningNetwork.query(on: req.db).sort(\.$id).all()
        let held = try await MentoringUseCases.sessionsHeld(in: all, on: req.db)
        let byAction = MentoringUseCases.heldByAction(all, held: held)
        var out: [NetworkDTO] = []
        for n in all { out.append(try await Self.networkDTO(n, sessions: nil, held: held[n.id!] ?? 0, byAction: byAction, on: req.db)) }
        return out
    }

    @Sendable func createNetwork(req: Request) async throws -> Response {
        try C.requireEditor(req)
        struct Body: Content { var host_id: Int?; var title: String?; var description: String?; var catalogue_action_id: String?; var members: [Int]? }
        let b = try req.content.decode(Body.self)
        switch try await MentoringUseCases.createNetwork(host: b.host_id.map(String.init) ?? "", title: b.title ?? "", description: b.description ?? "",
                                                         catalogueAction: b.catalogue_action_id ?? "",
                                                         catalogueActions: try await C.catalogueActions(req).map(\.id), actor: req.actor, on: req.db) {
        case .failure(let e):
            return try APIController.invalid(APIController.renamed(e, ["host": "host_id", "catalogue_action": "catalogue_action_id"]), req)
        case .success(let n):
            for m in b.members ?? [] { _ = try await MentoringUseCases.addMember(n, organisation: String(m), on: req.db) }
            return try APIController.created(try await Self.networkDTO(n, on: req.db), location: "/api/v1/learning-networks/\(n.id!)")
        }
    }

    @Sendable func network(req: Request) async throws -> NetworkDTO {
        let n = try await C.loadNetwork(req, manage: false)
        return try await Self.networkDTO(n, on: req.db)
    }

    @Sendable func addSession(req: Request) async throws -> Response {
        let n = try await C.loadNetwork(req, manage: true)
        struct Body: Content { var day: String?; var place: String?; var link: String?; var agenda: String?; var notes: String?; var materials: String?; var attended_by: [Int]? }
        let b = try req.content.decode(Body.self)
        let input = MentoringUseCases.SessionInput(day: b.day ?? "", place: b.place ?? "", link: b.link ?? "", agenda: b.agenda ?? "", notes: b.notes ?? "", materials: b.materials ?? "")
        // Attendance is checked before the session is stored, so that a refused list stores nothing.
        if let present = b.attended_by, !present.isEmpty {
            let members = Set(try await LearningNetworkMember.query(on: req.db).filter(\.$network.$id == n.requireID()).all().map { $0.$organisation.id } + [n.$host.id])
            if let stranger = present.first(where: { !members.contains($0) }) {
                return try APIController.invalid(APIController.field("attended_by", "error.session.notMember", [String(stranger)]), req)
            }
            if let d = Day(input.day.trimmingWhitespace()), d > Day.today {
                return try APIController.invalid(APIController.field("attended_by", "error.session.future"), req)
            }
        }
        switch try await MentoringUseCases.addSession(n, input, on: req.db) {
        case .failure(let e): return try APIController.invalid(e, req)
        case .success(let s):
            if let present = b.attended_by, !present.isEmpty { _ = try await MentoringUseCases.setAttendance(s, network: n, organisations: present, on: req.db) }
            return try APIController.created(try await Self.networkDTO(n, on: req.db),
                                             location: "/api/v1/learning-networks/\(n.id!)")
        }
    }
}

extension MentoringAPIController {
    @Sendable func addMember(req: Request) async throws -> Response {
        let n = try await C.loadNetwork(req, manage: true)
        struct Body: Content { var organisation_id: Int? }
        switch try await MentoringUseCases.addMember(n, organisation: (try req.content.decode(Body.self).organisation_id).map(String.init) ?? "", on: req.db) {
        case .failure(let e): return try APIController.invalid(APIController.renamed(e, ["organisation": "organisation_id"]), req)
        case .success: return try APIController.ok(try await Self.networkDTO(n, on: req.db))
        }
    }

    @Sendable func setAttendance(req: Request) async throws -> Response {
        guard let s = try await LearningSession.find(try req.intParameter("sessionID"), on: req.db),
              let n = try await LearningNetwork.find(s.$network.id, on: req.db) else { throw Abort(.notFound) }
        try C.authorize(req, .manageNetwork(host: n.$host.id))
        struct Body: Content { var organisation_ids: [Int]? }
        switch try await MentoringUseCases.setAttendance(s, network: n, organisations: try req.content.decode(Body.self).organisation_ids ?? [], on: req.db) {
        case .failure(let e): return try APIController.invalid(APIController.renamed(e, ["attendance": "organisation_ids"]), req)
        case .success: return try APIController.ok(try await Self.networkDTO(n, on: req.db))
        }
    }
}
