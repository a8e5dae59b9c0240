import Fluent
import LivingTogetherCore
import Vapor

/// The mentoring pages: programmes (open, staff, enrol, figures), a participant with suggestions and their
/// personal data, rounds (propose, adjust, confirm), trajectories (stage, agreement, logbook, action plan,
/// evaluation, outcome) and learning networks. Who may do what: `MentoringPermissions`.
struct MentoringController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.mentoring, use: index)
        routes.get(.programmeNew, use: programmeForm)
        routes.post(.programmeNew, use: createProgramme)
        routes.get(.programme(nil), use: programme)
        routes.post(.programmeStaff(nil), use: addStaff)
        routes.post(.programmeStatus(nil), use: setStatus)
        routes.get(.programmeEnrol(nil), use: enrolForm)
        routes.post(.programmeEnrol(nil), use: enrol)
        routes.get(.programmeFigures(nil), use: figuresExport)
        routes.post(.programmeRounds(nil), use: proposeRound)
        routes.get(.round(nil), use: round)
        routes.post(.round(nil), use: saveRound)
        routes.post(.roundConfirm(nil), use: confirmRound)
        routes.get(.participant(nil), use: participant)
        routes.get(.participantExport(nil), use: exportParticipant)
        routes.post(.participantErase(nil), use: erase)
        routes.get(.pair(nil), use: pair)
        routes.post(.pairStage(nil), use: moveStage)
        routes.post(.pairOutcome(nil), use: recordOutcome)
        routes.post(.pairLog(nil), use: addLog)
        routes.post(.pairAgreement(nil), use: saveAgreement)
        routes.post(.pairPlan(nil), use: savePlan)
        routes.post(.pairEvaluation(nil), use: evaluate)
        routes.get(.networks, use: networks)
        routes.get(.networkNew, use: networkForm)
        routes.post(.networkNew, use: createNetwork)
        routes.get(.network(nil), use: network)
        routes.post(.networkMembers(nil), use: addMember)
        routes.post(.networkSessions(nil), use: addSession)
        routes.post(.sessionAttendance(nil), use: setAttendance)
    }

    static func authorize(_ req: Request, _ action: MentoringPermissions.Action) throws {
        if MentoringPermissions.allows(req.actor, action) { return }
        throw Abort(req.currentUser == nil ? .unauthorized : .forbidden)
    }

    static func redirect(_ req: Request, _ url: String, flash: String) -> Response {
        let r = req.redirect(to: url, redirectType: .normal)
        Flash.set(flash, on: r)
        return r
    }

    static func fields(_ req: Request) throws -> [String: String] { try req.content.decode([String: String].self) }

    // MARK: loading, with the permission to read

    struct Loaded { var programme: MentoringProgramme; var rules: ProgrammeRules; var perms: MentoringPermissions.Programme }

    static func load(_ p: MentoringProgramme, _ req: Request) async throws -> Loaded {
        Loaded(programme: p, rules: try MentoringUseCases.rules(of: p), perms: try await MentoringUseCases.permissions(p, on: req.db))
    }

    static func loadProgramme(_ req: Request, manage: Bool = false) async throws -> Loaded {
        guard let p = try await MentoringProgramme.find(try req.intParameter("programmeID"), on: req.db) else { throw Abort(.notFound) }
        let l = try await load(p, req)
        try authorize(req, manage ? .manageProgramme(l.perms) : .viewProgramme(l.perms))
        return l
    }

    /// A participant, for its staff (`manage`), or for whoever may read it (a municipality its own participation).
    static func loadParticipant(_ req: Request, manage: Bool = true) async throws -> (MentoringParticipant, Loaded) {
        guard let m = try await MentoringParticipant.find(try req.intParameter("participantID"), on: req.db),
              let p = try await MentoringProgramme.find(m.$programme.id, on: req.db) else { throw Abort(.notFound) }
        let l = try await load(p, req)
        try authorize(req, manage ? .manageProgramme(l.perms) : .viewParticipant(l.perms, organisation: m.$organisation.id))
        return (m, l)
    }

    struct LoadedPair { var pair: MentoringPair; var mentee: MentoringParticipant; var mentor: MentoringParticipant; var l: Loaded; var who: MentoringPermissions.Pair }

    static func loadPair(_ req: Request, write: Bool = false) async throws -> LoadedPair {
        guard let pair = try await MentoringPair.query(on: req.db).filter(\.$id == req.intParameter("pairID")).with(\.$programme).first() else { throw Abort(.notFound) }
        let people = try await MentoringParticipant.query(on: req.db).filter(\.$id ~~ [pair.$mentee.id, pair.$mentor.id]).all()
        guard let mentee = people.first(where: { $0.id == pair.$mentee.id }), let mentor = people.first(where: { $0.id == pair.$mentor.id }) else { throw Abort(.notFound) }
        let p = pair.programme
        let l = try await load(p, req)
        let who = MentoringPermissions.Pair(menteeOrganisation: mentee.$organisation.id, mentorOrganisation: mentor.$organisation.id,
                                            menteeUser: mentee.$user.id, mentorUser: mentor.$user.id)
        try authorize(req, write ? .writeTrajectory(l.perms, who) : .viewTrajectory(l.perms, who))
        return LoadedPair(pair: pair, mentee: mentee, mentor: mentor, l: l, who: who)
    }

    // MARK: the mentoring page

    @Sendable func index(req: Request) async throws -> Response {
        let programmes = try await MentoringUseCases.visibleProgrammes(req.actor, on: req.db)
        let organisers = Dictionary(lastOf: try await Organisation.query(on: req.db)
            .filter(\.$id ~~ Array(Set(programmes.map { $0.$organiser.id }))).all().map { ($0.id!, $0.name) })
        let pairCounts = try await Counts.per("programme_id", in: MentoringPair.schema, on: req.db)
        let items = programmes.map { MentoringViews.ProgrammeItem(programme: $0, organiser: organisers[$0.$organiser.id] ?? "", pairs: pairCounts[$0.id!] ?? 0) }
        // The signed-in person's own trajectories: as a person, or through their municipalities.
        var mine: [MentoringViews.PairItem] = []
        if let user = req.currentUser {
            let orgs = Array(user.roles.keys)
            let mineIDs = try await MentoringParticipant.query(on: req.db).group(.or) { g in
                g.filter(\.$user.$id == user.id)
                if !orgs.isEmpty { g.filter(\.$organisation.$id ~~ orgs) }
            }.filter(\.$erasedAt == nil).all().compactMap(\.id)
            if !mineIDs.isEmpty {
                let pairs = try await MentoringPair.query(on: req.db).group(.or) { $0.filter(\.$mentee.$id ~~ mineIDs).filter(\.$mentor.$id ~~ mineIDs) }.sort(\.$id).all()
                let people = Dictionary(lastOf: try await MentoringParticipant.query(on: req.db).filter(\.$id ~~ pairs.flatMap { [$0.$mentee.id, $0.$mentor.id] }).all().map { ($0.id!, $0) })
                let ownProgrammes = try await MentoringProgramme.query(on: req.db).filter(\.$id ~~ Array(Set(pairs.map { $0.$programme.id }))).all()
                var rules: [Int: ProgrammeRules] = [:]
                for p in ownProgrammes { rules[p.id!] = try? MentoringUseCases.rules(of: p) }
                let byID = Dictionary(lastOf: ownProgrammes.map { ($0.id!, $0) })
                func name(_ id: Int) -> String { people[id]?.shownName(req.t) ?? "" }
                for pair in pairs {
                    guard let p = byID[pair.$programme.id], let r = rules[pair.$programme.id] else { continue }
                    mine.append(.init(pair: pair, programme: p, mentee: name(pair.$mentee.id), mentor: name(pair.$mentor.id),
                                      stage: MentoringViews.stageTitle(r, pair.stage, req.language.rawValue)))
                }
            }
        }
        return MentoringViews.index(req.page(), programmes: items, myPairs: mine, canCreate: Self.isEditorSomewhere(req.currentUser))
    }

    // MARK: opening a programme

    /// The organisations where the person may organise a programme or host a network: where they are an editor (a
    /// platform administrator: every organisation that is not a municipality).
    static func editableOrganisations(_ req: Request) async throws -> [Organisation] {
        guard let user = req.currentUser else { return [] }
        if user.isPlatformAdmin {
            return try await Organisation.query(on: req.db).filter(\.$kind != OrganisationKind.municipality.rawValue).sort(\.$name).all()
        }
        let ids = user.roles.filter { $0.value >= .editor }.map(\.key)
        return try await Organisation.query(on: req.db).filter(\.$id ~~ ids).sort(\.$name).all()
    }

    static func frameworks(_ req: Request) async throws -> [(id: String, title: String)] {
        try await req.application.benchmarks.latestVersions(on: req.db).map { ($0.framework.id, $0.framework.title(req.language.rawValue)) }
    }

    /// The catalogue actions a programme or a network may be about (those of the catalogues the person may read).
    static func catalogueActions(_ req: Request) async throws -> [(id: String, title: String)] {
        try await PlanUseCases.catalogueActions(req.actor, language: req.language.rawValue, plans: req.application.plans, on: req.db)
    }

    static func isEditorSomewhere(_ user: CurrentUser?) -> Bool {
        user.map { $0.isPlatformAdmin || $0.roles.values.contains { $0 >= .editor } } ?? false
    }

    /// Opening a programme or a network: editors of some organisation (which one is checked with the form).
    static func requireEditor(_ req: Request) throws {
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        guard isEditorSomewhere(user) else { throw Abort(.forbidden) }
    }

    @Sendable func programmeForm(req: Request) async throws -> Response {
        try Self.requireEditor(req)
        let rules = MentoringUseCases.shippedRules
        return MentoringViews.programmeForm(req.page(), values: ["starts_on": Day.today.description, "rules": rules.first.map { "\($0.id).v\($0.version)" } ?? ""],
                                            rules: rules, organisers: try await Self.editableOrganisations(req), frameworks: try await Self.frameworks(req),
                                            actions: try await Self.catalogueActions(req), errors: FieldErrors())
    }

    static func programmeInput(_ f: [String: String]) -> MentoringUseCases.ProgrammeInput {
        .init(title: f["title"] ?? "", rules: f["rules"] ?? "", organiser: f["organiser"] ?? "", theme: f["theme"] ?? "",
              catalogueAction: f["catalogue_action"] ?? "", description: f["description"] ?? "", startsOn: f["starts_on"] ?? "")
    }

    @Sendable func createProgramme(req: Request) async throws -> Response {
        try Self.requireEditor(req)
        let f = try Self.fields(req)
        let frameworks = try await Self.frameworks(req)
        let actions = try await Self.catalogueActions(req)
        switch try await MentoringUseCases.createProgramme(Self.programmeInput(f), actor: req.actor, by: try req.requireUser().id, frameworks: frameworks.map(\.id),
                                                           catalogueActions: actions.map(\.id), on: req.db) {
        case .failure(let e):
            return MentoringViews.programmeForm(req.page(), values: f, rules: MentoringUseCases.shippedRules, organisers: try await Self.editableOrganisations(req),
                                                frameworks: frameworks, actions: actions, errors: e, status: .unprocessableEntity)
        case .success(let p): return Self.redirect(req, SiteURL.programme(p.id).path, flash: "flash.programmeCreated")
        }
    }

    // MARK: a programme

    static func programmePage(_ req: Request, _ l: Loaded, errors: FieldErrors = FieldErrors(), values: [String: String] = [:]) async throws -> MentoringViews.ProgrammePage {
        let p = l.programme
        let participants = try await MentoringUseCases.participants(of: p, on: req.db)
        let pairs = try await MentoringUseCases.pairs(of: p, on: req.db)
        let free = MentoringUseCases.freePlaces(participants.filter { $0.participantRole == .mentor }, pairs: pairs)
        let canManage = MentoringPermissions.allows(req.actor, .manageProgramme(l.perms))
        let staff = canManage ? try await User.query(on: req.db).filter(\.$id ~~ Array(l.perms.staff)).sort(\.$name).all() : []
        let round = canManage ? try await RoundRow.query(on: req.db).filter(\.$programme.$id == p.requireID()).filter(\.$status == "proposed").first() : nil
        let framework = try await MentoringUseCases.framework(of: p, benchmarks: req.application.benchmarks, on: req.db)
        let canEnrol = l.rules.kind == .cityToCity && p.isOpen && (req.currentUser?.roles.contains { $0.value >= .editor && req.currentUser?.kinds[$0.key] == .municipality } ?? false)
        return .init(programme: p, rules: l.rules, organiser: try await p.$organiser.get(on: req.db), framework: framework, participants: participants, pairs: pairs,
                     free: free, figures: ProgrammeFigures(pairs: pairs.map { ($0.stage, $0.outcome) }, rules: l.rules),
                     sessionsHeld: l.rules.kind == .cityToCity && p.catalogueActionID != nil
                        ? try await MentoringUseCases.heldByAction(action: p.catalogueActionID, on: req.db)[p.catalogueActionID ?? ""] ?? [:] : [:],
                     staff: staff, proposedRound: round, canManage: canManage, canEnrol: canEnrol, errors: errors, values: values)
    }

    @Sendable func programme(req: Request) async throws -> Response {
        let l = try await Self.loadProgramme(req)
        return MentoringViews.programme(req.page(), try await Self.programmePage(req, l))
    }

    @Sendable func addStaff(req: Request) async throws -> Response {
        let l = try await Self.loadProgramme(req, manage: true)
        let f = try Self.fields(req)
        switch try await MentoringUseCases.addStaff(l.programme, email: f["email"] ?? "", on: req.db) {
        case .failure(let e): return MentoringViews.programme(req.page(), try await Self.programmePage(req, l, errors: e, values: f), status: .unprocessableEntity)
        case .success: return Self.redirect(req, SiteURL.programme(l.programme.id).path, flash: "flash.staffAdded")
        }
    }

    @Sendable func setStatus(req: Request) async throws -> Response {
        let l = try await Self.loadProgramme(req, manage: true)
        let open = try FormFlag.read((try Self.fields(req))["open"], field: "open", yes: "true", no: "false")
        try await MentoringUseCases.setOpen(l.programme, open, on: req.db)
        return Self.redirect(req, SiteURL.programme(l.programme.id).path, flash: open ? "flash.programmeOpened" : "flash.programmeClosed")
    }

    @Sendable func figuresExport(req: Request) async throws -> Response {
        let l = try await Self.loadProgramme(req, manage: true)
        let f = try await MentoringUseCases.figures(l.programme, rules: l.rules, on: req.db)
        return .download(MentoringUseCases.figuresCSV(l.programme, rules: l.rules, figures: f, language: req.language.rawValue),
                         type: .csvUTF8, filename: "programme-\(l.programme.id ?? 0)-figures.csv")
    }

    // MARK: enrolment

    static func ownMunicipalities(_ req: Request) async throws -> [Organisation] {
        guard let user = req.currentUser else { return [] }
        let ids = user.roles.filter { $0.value >= .editor && user.kinds[$0.key] == .municipality }.map(\.key)
        return try await Organisation.query(on: req.db).filter(\.$id ~~ ids).sort(\.$name).all()
    }

    /// May the person enrol anyone here (staff) or only their own municipality (city-to-city, open)?
    static func enrolAccess(_ req: Request) async throws -> (Loaded, isStaff: Bool, own: [Organisation]) {
        let l = try await loadProgramme(req)
        let isStaff = MentoringPermissions.allows(req.actor, .manageProgramme(l.perms))
        if isStaff { return (l, true, []) }
        let own = try await ownMunicipalities(req).filter { MentoringPermissions.allows(req.actor, .enrolOrganisation(l.perms, organisation: $0.id!)) }
        guard !own.isEmpty else { throw Abort(req.currentUser == nil ? .unauthorized : .forbidden) }
        return (l, false, own)
    }

    @Sendable func enrolForm(req: Request) async throws -> Response {
        let (l, isStaff, own) = try await Self.enrolAccess(req)
        let role = (try? req.query.get(String.self, at: "role")) ?? "mentee"
        return MentoringViews.enrolForm(req.page(), programme: l.programme, rules: l.rules, ownMunicipalities: own, isStaff: isStaff,
                                        values: ["role": role, "capacity": String(l.rules.capacity.default)], errors: FieldErrors())
    }

    /// A municipality as staff type it: its id, or its name (the most populous of that name; "Name (CC)" picks the country).
    static func resolveMunicipality(_ text: String, on db: any Database) async throws -> String {
        let raw = text.trimmingWhitespace()
        if Int(raw) != nil || raw.isEmpty { return raw }
        return try await OrganisationLookup.candidates(raw, kind: .municipality, limit: 1, on: db).first.map { String($0.id!) } ?? "none"
    }

    static func participantInput(_ f: [String: String], rules: ProgrammeRules, organisation: String) -> MentoringUseCases.ParticipantInput {
        var facts: [String: String] = [:]
        for fact in rules.facts { facts[fact.id] = f["fact_\(fact.id)"] ?? "" }
        return .init(role: f["role"] ?? "", organisation: organisation, name: f["name"] ?? "", email: f["email"] ?? "", account: f["account"] ?? "",
                     facts: facts, sector: f["sector"] ?? "", experienceYears: f["experience_years"] ?? "", languages: f["languages"] ?? "",
                     place: f["place"] ?? "", hoursPerWeek: f["hours_per_week"] ?? "", capacity: f["capacity"] ?? "")
    }

    @Sendable func enrol(req: Request) async throws -> Response {
        let (l, isStaff, own) = try await Self.enrolAccess(req)
        let f = try Self.fields(req)
        let org = l.rules.kind == .cityToCity ? try await Self.resolveMunicipality(f["organisation"] ?? "", on: req.db) : ""
        let input = Self.participantInput(f, rules: l.rules, organisation: org)
        switch try await MentoringUseCases.enrol(l.programme, rules: l.rules, input, actor: req.actor, by: req.currentUser?.id, language: req.language.rawValue, on: req.db) {
        case .failure(let e):
            return MentoringViews.enrolForm(req.page(), programme: l.programme, rules: l.rules, ownMunicipalities: own, isStaff: isStaff, values: f, errors: e, status: .unprocessableEntity)
        case .success(let m):
            return Self.redirect(req, isStaff ? SiteURL.participant(m.id).path : SiteURL.programme(l.programme.id).path, flash: "flash.enrolled")
        }
    }

    // MARK: a participant

    @Sendable func participant(req: Request) async throws -> Response {
        let (m, l) = try await Self.loadParticipant(req, manage: false)
        return try await Self.renderParticipant(req, m, l)
    }

    static func renderParticipant(_ req: Request, _ m: MentoringParticipant, _ l: Loaded, errors: FieldErrors = FieldErrors(), status: HTTPStatus = .ok) async throws -> Response {
        var suggestions: Result<[MentoringUseCases.Suggestion], MentoringError>? = nil
        if m.participantRole == .mentee && m.erasedAt == nil {
            suggestions = try await MentoringUseCases.suggestions(for: m, in: l.programme, rules: l.rules, benchmarks: req.application.benchmarks, on: req.db)
        }
        let framework = try await MentoringUseCases.framework(of: l.programme, benchmarks: req.application.benchmarks, on: req.db)
        let id = try m.requireID()
        let pairs = try await MentoringPair.query(on: req.db).group(.or) { $0.filter(\.$mentee.$id == id).filter(\.$mentor.$id == id) }.all()
        let others = Dictionary(lastOf: try await MentoringParticipant.query(on: req.db).filter(\.$id ~~ pairs.flatMap { [$0.$mentee.id, $0.$mentor.id] }).all().map { ($0.id!, $0.shownName(req.t)) })
        let t = req.t
        return MentoringViews.participant(req.page(), programme: l.programme, rules: l.rules, participant: m, framework: framework, suggestions: suggestions,
                                          pairs: pairs.map { ($0, t("pair.name", others[$0.$mentor.id] ?? "", others[$0.$mentee.id] ?? "")) },
                                          errors: errors, status: status)
    }

    @Sendable func exportParticipant(req: Request) async throws -> Response {
        let (m, l) = try await Self.loadParticipant(req)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        let body = String(decoding: try e.encode(try await MentoringUseCases.export(m, programme: l.programme, on: req.db)), as: UTF8.self)
        return .download(body, type: .json, filename: "participant-\(m.id ?? 0).json")
    }

    @Sendable func erase(req: Request) async throws -> Response {
        let (m, l) = try await Self.loadParticipant(req)
        guard l.rules.kind == .personToPerson else { throw Abort(.badRequest, reason: "error.erase.cityToCity") }
        let f = try Self.fields(req)
        let word = req.t("participant.eraseWord")
        guard AccountRules.confirmsErasure(f["confirm"] ?? "", word: word) else {
            var e = FieldErrors(); e.add("confirm", "error.erase.confirm", [word])
            return try await Self.renderParticipant(req, m, l, errors: e, status: .unprocessableEntity)
        }
        try await MentoringUseCases.erase(m, on: req.db)
        return Self.redirect(req, SiteURL.programme(l.programme.id).path, flash: "flash.participantErased")
    }

    // MARK: rounds

    @Sendable func proposeRound(req: Request) async throws -> Response {
        let l = try await Self.loadProgramme(req, manage: true)
        switch try await MentoringUseCases.proposeRound(l.programme, rules: l.rules, by: req.currentUser?.id, benchmarks: req.application.benchmarks, on: req.db) {
        case .failure(let e): return MentoringViews.programme(req.page(), try await Self.programmePage(req, l, errors: e), status: .unprocessableEntity)
        case .success(let r): return Self.redirect(req, SiteURL.round(r.id).path, flash: "flash.roundProposed")
        }
    }

    static func loadRound(_ req: Request) async throws -> (RoundRow, Loaded) {
        guard let r = try await RoundRow.find(try req.intParameter("roundID"), on: req.db),
              let p = try await MentoringProgramme.find(r.$programme.id, on: req.db) else { throw Abort(.notFound) }
        let l = try await load(p, req)
        try authorize(req, .manageProgramme(l.perms))
        return (r, l)
    }

    static func renderRound(_ req: Request, _ r: RoundRow, _ l: Loaded, errors: FieldErrors = FieldErrors(), chosen: [Int: Int?] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let proposals = try await MentoringProposal.query(on: req.db).filter(\.$round.$id == r.requireID()).sort(\.$id).all()
        let participants = try await MentoringUseCases.participants(of: l.programme, on: req.db)
        let pairs = try await MentoringUseCases.pairs(of: l.programme, on: req.db)
        let mentors = participants.filter { $0.participantRole == .mentor && $0.erasedAt == nil }
        return MentoringViews.round(req.page(), programme: l.programme, rules: l.rules, round: r, proposals: proposals,
                                    participants: Dictionary(lastOf: participants.map { ($0.id!, $0) }), mentors: mentors,
                                    free: MentoringUseCases.freePlaces(mentors, pairs: pairs), errors: errors, chosen: chosen, status: status)
    }

    @Sendable func round(req: Request) async throws -> Response {
        let (r, l) = try await Self.loadRound(req)
        return try await Self.renderRound(req, r, l)
    }

    /// The mentor chosen per mentee ("mentor-<mentee>": a mentor's id, or empty for none); a value that is neither
    /// is named beside its field, not read as "no mentor".
    static func choices(_ f: [String: String]) -> ([Int: Int?], FieldErrors) {
        var out: [Int: Int?] = [:]
        var errors = FieldErrors()
        for (k, v) in f where k.hasPrefix("mentor-") {
            guard let mentee = Int(k.dropFirst(7)) else { continue }
            let sent = v.trimmingWhitespace()
            if sent.isEmpty { out[mentee] = .some(nil); continue }
            guard let mentor = Int(sent) else { errors.add(k, "error.choice.unknown"); continue }
            out[mentee] = .some(mentor)
        }
        return (out, errors)
    }

    func review(_ req: Request, confirm: Bool) async throws -> Response {
        let (r, l) = try await Self.loadRound(req)
        let (chosen, unreadable) = Self.choices(try Self.fields(req))
        if !unreadable.isEmpty {
            return try await Self.renderRound(req, r, l, errors: unreadable, chosen: chosen, status: .unprocessableEntity)
        }
        switch try await MentoringUseCases.reviewRound(r, l.programme, rules: l.rules, choice: chosen, confirm: confirm, by: req.currentUser?.id,
                                                       language: req.language.rawValue, on: req.db) {
        case .failure(let e): return try await Self.renderRound(req, r, l, errors: e, chosen: chosen, status: .unprocessableEntity)
        case .success: return Self.redirect(req, confirm ? SiteURL.programme(l.programme.id).path : SiteURL.round(r.id).path,
                                            flash: confirm ? "flash.roundConfirmed" : "flash.roundSaved")
        }
    }

    @Sendable func saveRound(req: Request) async throws -> Response { try await review(req, confirm: false) }
    @Sendable func confirmRound(req: Request) async throws -> Response { try await review(req, confirm: true) }

    // MARK: trajectories

    static func renderPair(_ req: Request, _ lp: LoadedPair, errors: FieldErrors = FieldErrors(), values: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let id = try lp.pair.requireID()
        let actor = req.actor
        let sides = MentoringRole.allCases.filter { MentoringPermissions.allows(actor, .evaluate(lp.l.perms, lp.who, side: $0)) }
        let page = MentoringViews.PairPage(
            programme: lp.l.programme, rules: lp.l.rules, pair: lp.pair, mentee: lp.mentee, mentor: lp.mentor,
            events: try await MentoringStageEvent.query(on: req.db).filter(\.$pair.$id == id).sort(\.$at).sort(\.$id).all(),
            log: try await MentoringLogEntry.query(on: req.db).filter(\.$pair.$id == id).sort(\.$day, .descending).sort(\.$id, .descending).all(),
            evaluations: try await MentoringEvaluation.query(on: req.db).filter(\.$pair.$id == id).sort(\.$side).all(),
            canManage: MentoringPermissions.allows(actor, .manageProgramme(lp.l.perms)),
            canWrite: MentoringPermissions.allows(actor, .writeTrajectory(lp.l.perms, lp.who)),
            canEvaluate: sides, errors: errors, values: values)
        return MentoringViews.pair(req.page(), page, status: status)
    }

    @Sendable func pair(req: Request) async throws -> Response {
        try await Self.renderPair(req, try await Self.loadPair(req))
    }

    func write(_ req: Request, manage: Bool = false, anchor: String, flash: String,
               _ action: @escaping @Sendable (LoadedPair, [String: String]) async throws -> Result<Void, FieldErrors>) async throws -> Response {
        let lp = try await Self.loadPair(req, write: true)
        if manage { try Self.authorize(req, .manageProgramme(lp.l.perms)) }
        let f = try Self.fields(req)
        switch try await action(lp, f) {
        case .failure(let e): return try await Self.renderPair(req, lp, errors: e, values: f, status: .unprocessableEntity)
        case .success: return Self.redirect(req, SiteURL.pair(lp.pair.id).path + anchor, flash: flash)
        }
    }

    @Sendable func moveStage(req: Request) async throws -> Response {
        let user = req.currentUser?.id, lang = req.language.rawValue, db = req.db
        return try await write(req, manage: true, anchor: "", flash: "flash.stageChanged") { lp, f in
            try await MentoringUseCases.moveStage(lp.pair, to: f["stage"] ?? "", comment: f["comment"] ?? "", rules: lp.l.rules, by: user, language: lang, on: db)
        }
    }

    @Sendable func recordOutcome(req: Request) async throws -> Response {
        let user = req.currentUser?.id, db = req.db, lang = req.language.rawValue
        return try await write(req, manage: true, anchor: "", flash: "flash.outcomeRecorded") { lp, f in
            let ending = MentoringUseCases.Ending(outcome: f["outcome"] ?? "", day: f["ended_on"] ?? "",
                                                  confirmEarly: f["confirm_early"] == "yes", reason: f["early_reason"] ?? "")
            return try await MentoringUseCases.end(lp.pair, ending, rules: lp.l.rules, by: user, language: lang, on: db)
        }
    }

    @Sendable func addLog(req: Request) async throws -> Response {
        let user = req.currentUser?.id, db = req.db
        return try await write(req, anchor: "#logbook", flash: "flash.logAdded") { lp, f in
            try await MentoringUseCases.addLog(lp.pair, programmeStart: Day(lp.l.programme.startsOn), day: f["day"] ?? "", kind: f["kind"] ?? "", note: f["note"] ?? "", by: user, on: db).map { _ in () }
        }
    }

    @Sendable func saveAgreement(req: Request) async throws -> Response {
        let db = req.db
        return try await write(req, anchor: "#agreement", flash: "flash.agreementSaved") { lp, f in
            try await MentoringUseCases.saveAgreement(lp.pair, programmeStart: Day(lp.l.programme.startsOn), signedOn: f["signed_on"] ?? "", goals: f["goals"] ?? "", on: db)
        }
    }

    @Sendable func savePlan(req: Request) async throws -> Response {
        let db = req.db
        return try await write(req, anchor: "#plan", flash: "flash.mentoringPlanSaved") { lp, f in
            try await MentoringUseCases.savePlan(lp.pair, longTerm: f["long_term"] ?? "", pilot: f["pilot"] ?? "", on: db)
        }
    }

    @Sendable func evaluate(req: Request) async throws -> Response {
        let lp = try await Self.loadPair(req)
        let f = try Self.fields(req)
        let side = MentoringRole(rawValue: f["side"] ?? "")
        guard let side, MentoringPermissions.allows(req.actor, .evaluate(lp.l.perms, lp.who, side: side)) else {
            if side == nil { var e = FieldErrors(); e.add("side", "error.choice.unknown"); return try await Self.renderPair(req, lp, errors: e, values: f, status: .unprocessableEntity) }
            throw Abort(.forbidden)
        }
        switch try await MentoringUseCases.evaluate(lp.pair, side: side.rawValue, rating: f["rating"] ?? "", text: f["text"] ?? "", by: req.currentUser?.id, on: req.db) {
        case .failure(let e): return try await Self.renderPair(req, lp, errors: e, values: f, status: .unprocessableEntity)
        case .success: return Self.redirect(req, SiteURL.pair(lp.pair.id).path + "#evaluation", flash: "flash.evaluationSaved")
        }
    }

    // MARK: learning networks

    @Sendable func networks(req: Request) async throws -> Response {
        try Self.authorize(req, .viewNetworks)
        let all = try await LearningNetwork.query(on: req.db).sort(\.$title).all()
        let hosts = Dictionary(lastOf: try await Organisation.query(on: req.db).filter(\.$id ~~ Array(Set(all.map { $0.$host.id }))).all().map { ($0.id!, $0.name) })
        let sessions = try await Counts.per("network_id", in: LearningSession.schema, on: req.db)
        let members = try await Counts.per("network_id", in: LearningNetworkMember.schema, on: req.db)
        return MentoringViews.networks(req.page(), all.map { .init(network: $0, host: hosts[$0.$host.id] ?? "", sessions: sessions[$0.id!] ?? 0, members: members[$0.id!] ?? 0) },
                                       canCreate: Self.isEditorSomewhere(req.currentUser))
    }

    @Sendable func networkForm(req: Request) async throws -> Response {
        try Self.requireEditor(req)
        return MentoringViews.networkForm(req.page(), hosts: try await Self.editableOrganisations(req), actions: try await Self.catalogueActions(req),
                                          values: [:], errors: FieldErrors())
    }

    @Sendable func createNetwork(req: Request) async throws -> Response {
        try Self.requireEditor(req)
        let f = try Self.fields(req)
        let actions = try await Self.catalogueActions(req)
        switch try await MentoringUseCases.createNetwork(host: f["host"] ?? "", title: f["title"] ?? "", description: f["description"] ?? "",
                                                         catalogueAction: f["catalogue_action"] ?? "", catalogueActions: actions.map(\.id),
                                                         actor: req.actor, on: req.db) {
        case .failure(let e):
            return MentoringViews.networkForm(req.page(), hosts: try await Self.editableOrganisations(req), actions: actions, values: f, errors: e,
                                              status: .unprocessableEntity)
        case .success(let n): return Self.redirect(req, SiteURL.network(n.id).path, flash: "flash.networkCreated")
        }
    }

    static func loadNetwork(_ req: Request, manage: Bool) async throws -> LearningNetwork {
        guard let n = try await LearningNetwork.find(try req.intParameter("networkID"), on: req.db) else { throw Abort(.notFound) }
        try authorize(req, manage ? .manageNetwork(host: n.$host.id) : .viewNetworks)
        return n
    }

    static func renderNetwork(_ req: Request, _ n: LearningNetwork, errors: FieldErrors = FieldErrors(), values: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let memberIDs = try await LearningNetworkMember.query(on: req.db).filter(\.$network.$id == n.requireID()).all().map { $0.$organisation.id }
        let members = try await Organisation.query(on: req.db).filter(\.$id ~~ memberIDs).sort(\.$name).all()
        let qualified = n.catalogueActionID == nil ? false
            : MentoringUseCases.isQualified(host: n.$host.id, action: n.catalogueActionID, try await MentoringUseCases.heldByAction(action: n.catalogueActionID, on: req.db))
        return MentoringViews.network(req.page(), network: n, host: try await n.$host.get(on: req.db), members: members,
                                      sessions: try await MentoringUseCases.sessions(of: n, on: req.db).map { ($0.session, $0.present) }, qualified: qualified,
                                      canManage: MentoringPermissions.allows(req.actor, .manageNetwork(host: n.$host.id)), errors: errors, values: values, status: status)
    }

    @Sendable func network(req: Request) async throws -> Response {
        try await Self.renderNetwork(req, try await Self.loadNetwork(req, manage: false))
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        let n = try await Self.loadNetwork(req, manage: true)
        let f = try Self.fields(req)
        let raw = (f["organisation"] ?? "").trimmingWhitespace()
        var id = raw
        if Int(raw) == nil, !raw.isEmpty {
            id = try await OrganisationLookup.candidates(raw, limit: 1, on: req.db).first.map { String($0.id!) } ?? ""
        }
        switch try await MentoringUseCases.addMember(n, organisation: id, on: req.db) {
        case .failure(let e): return try await Self.renderNetwork(req, n, errors: e, values: f, status: .unprocessableEntity)
        case .success: return Self.redirect(req, SiteURL.network(n.id).path, flash: "flash.memberAdded")
        }
    }

    @Sendable func addSession(req: Request) async throws -> Response {
        let n = try await Self.loadNetwork(req, manage: true)
        let f = try Self.fields(req)
        let input = MentoringUseCases.SessionInput(day: f["day"] ?? "", place: f["place"] ?? "", link: f["link"] ?? "", agenda: f["agenda"] ?? "",
                                                   notes: f["notes"] ?? "", materials: f["materials"] ?? "")
        switch try await MentoringUseCases.addSession(n, input, on: req.db) {
        case .failure(let e): return try await Self.renderNetwork(req, n, errors: e, values: f, status: .unprocessableEntity)
        case .success: return Self.redirect(req, SiteURL.network(n.id).path, flash: "flash.sessionAdded")
        }
    }

    @Sendable func setAttendance(req: Request) async throws -> Response {
        guard let s = try await LearningSession.find(try req.intParameter("sessionID"), on: req.db),
              let n = try await LearningNetwork.find(s.$network.id, on: req.db) else { throw Abort(.notFound) }
        try Self.authorize(req, .manageNetwork(host: n.$host.id))
        struct Body: Content { var present: [Int]? }
        // Nothing ticked sends no field: nobody was there. Anything but organisation ids is refused, not read as nobody.
        let present = try req.content.decode(Body.self).present ?? []
        switch try await MentoringUseCases.setAttendance(s, network: n, organisations: present, on: req.db) {
        case .failure(let e): return try await Self.renderNetwork(req, n, errors: e, status: .unprocessableEntity)
        case .success: return Self.redirect(req, SiteURL.network(n.id).path, flash: "flash.attendanceSaved")
        }
    }
}
