import Foundation
import LivingTogetherCore
import Vapor

/// The mentoring pages: programmes, enrolment, a participant with suggestions, rounds, trajectories and
/// learning networks. Form parts come from `PlanViews` (one field markup for the whole site's module forms).
enum MentoringViews {
    typealias V = PlanViews

    static func input(_ name: String, _ label: String, _ values: [String: String], _ errors: FieldErrors, _ t: Translator, type: String = "text", hint: String? = nil, extra: HTML = .empty) -> HTML {
        V.input(name, label, value: values[name], errors: errors, t: t, type: type, hint: hint, extra: extra)
    }
    static func textarea(_ name: String, _ label: String, _ values: [String: String], _ errors: FieldErrors, _ t: Translator, rows: Int = 3, hint: String? = nil) -> HTML {
        V.textarea(name, label, value: values[name], errors: errors, t: t, rows: rows, hint: hint)
    }

    static func reason(_ r: MatchReason, _ ctx: PageContext, framework: Framework?) -> String {
        let lang = ctx.language.rawValue
        return r.text(lang, keyFactorTitle: { id in framework?.keyFactor(id)?.title(lang) ?? id })
    }

    static func stageTitle(_ rules: ProgrammeRules, _ id: String, _ lang: String) -> String { rules.stage(id)?.title(lang) ?? id }
    static func outcomeTitle(_ rules: ProgrammeRules, _ id: String?, _ lang: String) -> String { id.flatMap { rules.outcome($0)?.title(lang) } ?? "" }

    static func kindLabel(_ k: ProgrammeRules.Kind, _ t: Translator) -> String { t("programme.kind.\(k.rawValue)") }

    // MARK: the mentoring page

    struct ProgrammeItem { var programme: MentoringProgramme; var organiser: String; var pairs: Int }
    struct PairItem { var pair: MentoringPair; var programme: MentoringProgramme; var mentee: String; var mentor: String; var stage: String }

    static func index(_ ctx: PageContext, programmes: [ProgrammeItem], myPairs: [PairItem], canCreate: Bool) -> Response {
        let t = ctx.t
        let rows = programmes.map { i -> HTML in
            """
            <tr><th scope="row"><a href="\(SiteURL.programme(i.programme.id).path)">\(i.programme.title)</a></th><td>\(kindLabel(i.programme.programmeKind, t))</td>
            <td>\(i.organiser)</td><td>\(t("programme.status.\(i.programme.status)"))</td><td>\(String(i.pairs))</td></tr>
            """
        }
        let pairs = myPairs.map { p -> HTML in
            "<li><a href=\"\(SiteURL.pair(p.pair.id).path)\">\(t("pair.name", p.mentor, p.mentee))</a> — \(p.programme.title), \(p.stage)\(p.pair.isEnded ? " (\(t("pair.ended")))" : "")</li>"
        }
        let main: HTML = """
        <h1>\(t("mentoring.title"))</h1>
        <p class="lead">\(t("mentoring.intro"))</p>
        \(HTML.when(!myPairs.isEmpty, "<h2>\(t("mentoring.yourPairs"))</h2><ul>\(pairs)</ul>"))
        <h2>\(t("mentoring.programmes"))</h2>
        \(HTML.either(programmes.isEmpty, "<p>\(t("mentoring.noProgrammes"))</p>", """
        <table class="list"><thead><tr><th scope="col">\(t("field.programme"))</th><th scope="col">\(t("field.kind"))</th><th scope="col">\(t("field.organiser"))</th><th scope="col">\(t("field.status"))</th><th scope="col">\(t("field.pairs"))</th></tr></thead><tbody>\(rows)</tbody></table>
        """))
        \(HTML.when(canCreate, "<p><a href=\"\(SiteURL.programmeNew.path)\">\(t("programme.new"))</a></p>"))
        <p><a href="\(SiteURL.networks.path)">\(t("networks.title"))</a></p>
        """
        return Layout.page(ctx, title: t("mentoring.title"), main: main)
    }

    // MARK: opening a programme

    static func programmeForm(_ ctx: PageContext, values: [String: String], rules: [ProgrammeRules], organisers: [Organisation],
                              frameworks: [(id: String, title: String)], actions: [(id: String, title: String)], errors: FieldErrors,
                              status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let ruleOptions = rules.map { r in (value: "\(r.id).v\(r.version)", label: "\(r.title(lang)) (\(kindLabel(r.kind, t)))") }
        let themeOptions = [(value: "", label: t("programme.noTheme"))] + frameworks.map { (value: $0.id, label: $0.title) }
        let main: HTML = """
        <h1>\(t("programme.new"))</h1>
        \(V.summary(errors, t))
        <form method="post" action="\(SiteURL.programmeNew.path)" novalidate>\(ctx.csrfField)
        \(input("title", t("field.title"), values, errors, t))
        \(V.select("rules", t("field.rules"), options: ruleOptions, selected: values["rules"], errors: errors, t: t))
        \(V.select("organiser", t("field.organiser"), options: organisers.map { (value: String($0.id ?? 0), label: $0.name) }, selected: values["organiser"], errors: errors, t: t))
        \(V.select("theme", t("field.theme"), options: themeOptions, selected: values["theme"], errors: errors, t: t))
        \(catalogueActionSelect(actions, values, errors, t))
        \(input("starts_on", t("field.startsOn"), values, errors, t, type: "date"))
        \(textarea("description", t("field.description"), values, errors, t, rows: 4))
        <button type="submit">\(t("programme.create"))</button>
        </form>
        """
        return Layout.page(ctx, title: t("programme.new"), main: main, status: status)
    }

    // MARK: a programme

    struct ProgrammePage {
        var programme: MentoringProgramme
        var rules: ProgrammeRules
        var organiser: Organisation
        var framework: Framework?
        var participants: [MentoringParticipant]
        var pairs: [MentoringPair]
        var free: [Int: Int]
        var figures: ProgrammeFigures
        var sessionsHeld: [Int: Int]
        var staff: [User]
        var proposedRound: RoundRow?
        var canManage: Bool
        var canEnrol: Bool
        var errors = FieldErrors()
        var values: [String: String] = [:]
    }

    static func figures(_ f: ProgrammeFigures, rules: ProgrammeRules, _ ctx: PageContext) -> HTML {
        let t = ctx.t, lang = ctx.language.rawValue
        let outcomes = f.outcomes.map { o -> HTML in
            "<tr><th scope=\"row\">\(rules.outcome(o.outcome)?.title(lang) ?? o.outcome)</th><td>\(String(o.count))</td><td>\(f.ended == 0 ? "—" : "\(V.plainNumber(o.percent)) %")</td></tr>"
        }
        let stages = f.byStage.map { s -> HTML in "<li>\(stageTitle(rules, s.stage, lang)): \(String(s.count))</li>" }
        return """
        <dl class="facts"><dt>\(t("figures.matched"))</dt><dd>\(String(f.matched))</dd><dt>\(t("figures.active"))</dt><dd>\(String(f.active))</dd>
        <dt>\(t("figures.ended"))</dt><dd>\(String(f.ended))</dd><dt>\(t("figures.positive"))</dt><dd>\(f.positivePercent.map { "\(V.plainNumber($0)) %" } ?? "—")</dd></dl>
        <h3>\(t("figures.byStage"))</h3><ul>\(stages)</ul>
        <table class="list"><caption>\(t("figures.outcomes"))</caption><thead><tr><th scope="col">\(t("field.outcome"))</th><th scope="col">\(t("figures.count"))</th><th scope="col">\(t("figures.share"))</th></tr></thead><tbody>\(outcomes)</tbody></table>
        """
    }

    static func programme(_ ctx: PageContext, _ page: ProgrammePage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let p = page.programme, rules = page.rules
        let byID = Dictionary(lastOf: page.participants.map { ($0.id!, $0) })
        func name(_ id: Int) -> String { byID[id]?.shownName(t) ?? "" }
        let personal = rules.kind == .personToPerson
        func participantRows(_ role: MentoringRole) -> [HTML] {
            page.participants.filter { $0.participantRole == role }.map { m -> HTML in
                let qualified = role == .mentor && !personal && (m.$organisation.id.flatMap { page.sessionsHeld[$0] } ?? 0) >= MentoringUseCases.qualifyingSessions
                // Staff open every participant; a municipality's members open their own participation (its suggestions).
                let own = !personal && m.$organisation.id.map { ctx.user?.roles[$0] != nil } == true
                let label: HTML = page.canManage || own ? "<a href=\"\(SiteURL.participant(m.id).path)\">\(name(m.id!))</a>" : "\(name(m.id!))"
                let org: HTML = m.$organisation.id.map { "<a href=\"\(SiteURL.organisation($0).path)\">\(t("participant.profile"))</a>" } ?? .empty
                return """
                <tr><th scope="row">\(label)\(HTML.when(qualified, " <span class=\"badge\">\(t("participant.qualified"))</span>"))</th>
                <td>\(role == .mentor ? "\(page.free[m.id!] ?? 0) / \(m.capacity)" : "—")</td><td>\(org)</td></tr>
                """
            }
        }
        let pairRows = page.pairs.map { pair -> HTML in
            """
            <tr><th scope="row"><a href="\(SiteURL.pair(pair.id).path)">\(t("pair.name", name(pair.$mentor.id), name(pair.$mentee.id)))</a></th>
            <td>\(stageTitle(rules, pair.stage, lang))</td><td>\(pair.startedOn)</td><td>\(pair.isEnded ? outcomeTitle(rules, pair.outcome, lang) : t("pair.active"))</td></tr>
            """
        }
        let stages = rules.stages.enumerated().map { i, s -> HTML in "<li><strong>\(s.title(lang))</strong> — \(s.description(lang))</li>" }
        let ruleList = { (role: MentoringRole) -> HTML in
            HTML.join(rules.rules(for: role).map { "<li>\($0.message(lang))</li>" as HTML })
        }
        let manage: HTML = !page.canManage ? .empty : """
        <section aria-labelledby="h-manage"><h2 id="h-manage">\(t("programme.manage"))</h2>
        \(V.summary(page.errors, t))
        <p><a href="\(SiteURL.programmeEnrol(p.id).path)">\(t("programme.enrol"))</a> · <a href="\(SiteURL.programmeFigures(p.id).path)">\(t("programme.exportFigures"))</a></p>
        \(HTML.either(page.proposedRound != nil, "<p><a href=\"\(SiteURL.round(page.proposedRound?.id).path)\">\(t("round.review"))</a></p>", """
        <form method="post" action="\(SiteURL.programmeRounds(p.id).path)">\(ctx.csrfField)<p class="hint">\(t("round.hint"))</p>\(page.errors["round"].map { "<p class=\"error\" id=\"f-round\">\(t($0.key, args: $0.arguments))</p>" as HTML })<button type="submit">\(t("round.propose"))</button></form>
        """))
        <form method="post" action="\(SiteURL.programmeStatus(p.id).path)" class="inline">\(ctx.csrfField)<input type="hidden" name="open" value="\(p.isOpen ? "false" : "true")"><button type="submit" class="secondary">\(t(p.isOpen ? "programme.close" : "programme.reopen"))</button></form>
        <h3>\(t("programme.staff"))</h3><ul>\(page.staff.map { "<li>\($0.name) (\($0.email))</li>" as HTML })</ul>
        <form method="post" action="\(SiteURL.programmeStaff(p.id).path)" novalidate>\(ctx.csrfField)
        \(input("email", t("programme.staffEmail"), page.values, page.errors, t, type: "email"))
        <button type="submit">\(t("programme.addStaff"))</button></form>
        </section>
        """
        let main: HTML = """
        <h1>\(p.title)</h1>
        <p class="lead">\(kindLabel(rules.kind, t)) · \(t("programme.organisedBy")) <a href="\(SiteURL.organisation(page.organiser.id).path)">\(page.organiser.name)</a> · \(t("programme.status.\(p.status)"))</p>
        \(HTML.when(!p.summary.isEmpty, "<p>\(p.summary)</p>"))
        <dl class="facts"><dt>\(t("field.rules"))</dt><dd>\(rules.title(lang)) (v\(String(rules.version)))</dd>
        <dt>\(t("field.theme"))</dt><dd>\(page.framework.map { $0.title(lang) } ?? t("programme.severalThemes"))</dd>
        <dt>\(t("field.startsOn"))</dt><dd>\(p.startsOn)\(p.endsOn.map { " – \($0)" } ?? "")</dd></dl>
        \(HTML.when(page.canEnrol && !page.canManage, "<p><a href=\"\(SiteURL.programmeEnrol(p.id).path)\">\(t("programme.enrolOwn"))</a></p>"))
        \(manage)
        <h2>\(t("programme.figures"))</h2>
        \(figures(page.figures, rules: rules, ctx))
        <h2>\(t("programme.pairs"))</h2>
        \(HTML.either(page.pairs.isEmpty, "<p>\(t("programme.noPairs"))</p>", """
        <table class="list"><thead><tr><th scope="col">\(t("field.pair"))</th><th scope="col">\(t("field.stage"))</th><th scope="col">\(t("field.startedOn"))</th><th scope="col">\(t("field.outcome"))</th></tr></thead><tbody>\(pairRows)</tbody></table>
        """))
        \(HTML.when(!personal || page.canManage, """
        <h2>\(t("programme.mentors"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("field.freePlaces"))</th><th scope="col"><span class="visually-hidden">\(t("participant.profile"))</span></th></tr></thead><tbody>\(participantRows(.mentor))</tbody></table>
        <h2>\(t("programme.mentees"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.name"))</th><th scope="col"><span class="visually-hidden">\(t("field.freePlaces"))</span></th><th scope="col"><span class="visually-hidden">\(t("participant.profile"))</span></th></tr></thead><tbody>\(participantRows(.mentee))</tbody></table>
        """))
        <h2>\(t("programme.rules"))</h2>
        <h3>\(t("programme.menteeRules"))</h3><ul>\(ruleList(.mentee))</ul>
        <h3>\(t("programme.mentorRules"))</h3><ul>\(ruleList(.mentor))</ul>
        <h3>\(t("programme.stages"))</h3><ol>\(stages)</ol>
        """
        return Layout.page(ctx, title: p.title, main: main, status: status)
    }

    // MARK: enrolment

    static func enrolForm(_ ctx: PageContext, programme p: MentoringProgramme, rules: ProgrammeRules, ownMunicipalities: [Organisation], isStaff: Bool,
                          values: [String: String], errors: FieldErrors, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        // The side is chosen first (a link per side), so that the form asks only the facts of that side's rules.
        let role = MentoringRole(rawValue: values["role"] ?? "") ?? .mentee
        let sides = MentoringRole.allCases.map { r -> HTML in
            let label = t("enrol.as", t("role.\(r.rawValue)").lowercased())
            return r == role ? "<li><strong aria-current=\"page\">\(label)</strong></li>"
                : "<li><a href=\"\(SiteURL.programmeEnrol(p.id).path)?role=\(r.rawValue)\">\(label)</a></li>"
        }
        let who: HTML
        if rules.kind == .cityToCity {
            who = isStaff
                ? input("organisation", t("field.municipality"), values, errors, t, hint: t("enrol.municipalityHint"))
                : V.select("organisation", t("field.municipality"), options: ownMunicipalities.map { (value: String($0.id ?? 0), label: $0.name) }, selected: values["organisation"], errors: errors, t: t)
        } else {
            who = """
            \(input("name", t("field.name"), values, errors, t, hint: t("enrol.nameHint")))
            \(input("email", t("field.emailOptional"), values, errors, t, type: "email"))
            \(input("account", t("field.account"), values, errors, t, type: "email", hint: t("enrol.accountHint")))
            """
        }
        let facts = rules.facts(for: role).map { f -> HTML in
            let name = "fact_\(f.id)"
            let label = f.label(lang) + (f.unit.map { " (\($0(lang)))" } ?? "")
            if f.type == .boolean {
                return V.select(name, label, options: [(value: "", label: t("enrol.choose")), (value: "yes", label: t("answer.yes")), (value: "no", label: t("answer.no"))],
                                selected: values[name], errors: errors, t: t)
            }
            // A text the rules limit to a list is chosen from that list.
            let choices = rules.rules(for: role).filter { $0.field == f.id }.compactMap(\.oneOf).flatMap { $0 }
            if f.type == .text && !choices.isEmpty {
                var seen = Set<String>()
                let options = [(value: "", label: t("enrol.choose"))] + choices.filter { seen.insert($0).inserted }.map { (value: $0, label: $0) }
                return V.select(name, label, options: options, selected: values[name], errors: errors, t: t)
            }
            let mode: HTML = f.type != .number ? .empty : f.wholeNumber == true ? " inputmode=\"numeric\"" : " inputmode=\"decimal\""
            return input(name, label, values, errors, t, extra: mode)
        }
        let capacity = input("capacity", t("field.capacity"), values, errors, t,
                             hint: t("enrol.capacityHint", String(rules.capacity.maximum)), extra: " inputmode=\"numeric\"")
        let mentorOnly: HTML = role != .mentor ? .empty : """
        \(input("experience_years", t("field.experienceYears"), values, errors, t, extra: " inputmode=\"numeric\""))
        \(input("hours_per_week", t("field.hoursPerWeek"), values, errors, t, extra: " inputmode=\"decimal\""))
        \(capacity)
        """
        let matching: HTML = rules.kind == .cityToCity ? HTML.when(role == .mentor, capacity) : """
        <fieldset><legend>\(t("enrol.matching"))</legend>
        \(input("sector", t("field.sector"), values, errors, t, hint: t("enrol.sectorHint")))
        \(input("languages", t("field.languages"), values, errors, t, hint: t("enrol.languagesHint")))
        \(input("place", t("field.place"), values, errors, t))
        \(mentorOnly)
        </fieldset>
        """
        let main: HTML = """
        <h1>\(t("enrol.title", p.title))</h1>
        <p>\(t("enrol.intro"))</p>
        <nav aria-label="\(t("enrol.sides"))"><ul class="tabs">\(sides)</ul></nav>
        \(V.summary(errors, t))
        <form method="post" action="\(SiteURL.programmeEnrol(p.id).path)" novalidate>\(ctx.csrfField)
        <input type="hidden" name="role" value="\(role.rawValue)">
        \(who)
        <fieldset><legend>\(t("enrol.facts"))</legend><p class="hint">\(t("enrol.factsHint"))</p>\(facts)</fieldset>
        \(matching)
        <button type="submit">\(t("enrol.submit"))</button>
        </form>
        <p><a href="\(SiteURL.programme(p.id).path)">\(t("programme.back"))</a></p>
        """
        return Layout.page(ctx, title: t("enrol.title", p.title), main: main, status: status)
    }

    // MARK: a participant

    static func participant(_ ctx: PageContext, programme p: MentoringProgramme, rules: ProgrammeRules, participant m: MentoringParticipant,
                            framework: Framework?, suggestions: Result<[MentoringUseCases.Suggestion], MentoringError>?, pairs: [(MentoringPair, String)],
                            errors: FieldErrors = FieldErrors(), status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let facts = m.factValues
        let factRows = rules.facts.map { f -> HTML in
            let v = facts[f.id].map { v -> String in
                if case .boolean(let b) = v { return t(b ? "answer.yes" : "answer.no") }
                return v.description + (f.unit.map { " \($0(lang))" } ?? "")
            } ?? "—"
            return "<dt>\(f.label(lang))</dt><dd>\(v)</dd>"
        }
        let failures = Eligibility.check(facts, role: m.participantRole, in: rules)
        var suggestionPart: HTML = .empty
        if let suggestions {
            switch suggestions {
            case .failure(.ineligible(_, let fs)):
                suggestionPart = "<div class=\"error-summary\" role=\"alert\"><h2>\(t("suggestions.ineligible"))</h2><ul>\(fs.map { "<li>\($0.message(lang))</li>" as HTML })</ul></div>"
            case .failure(let other):
                suggestionPart = "<p class=\"error\">\(other.description)</p>"
            case .success(let list):
                let items = list.enumerated().map { i, s -> HTML in
                    """
                    <li><strong>\(s.mentor.displayName)</strong> — \(t("suggestions.score", V.plainNumber((s.score * 10).rounded() / 10)))
                    <ul>\(s.reasons.map { "<li>\(reason($0, ctx, framework: framework))</li>" as HTML })</ul></li>
                    """
                }
                let none = rules.kind == .cityToCity && p.theme == nil ? t("suggestions.noTheme") : t("suggestions.none")
                suggestionPart = HTML.either(list.isEmpty, "<p>\(none)</p>", "<ol class=\"suggestions\">\(items)</ol>")
            }
        }
        let erased = m.erasedAt != nil
        let main: HTML = """
        <h1>\(m.shownName(t))</h1>
        <p class="lead">\(t("role.\(m.role)")) · <a href="\(SiteURL.programme(p.id).path)">\(p.title)</a></p>
        \(V.summary(errors, t))
        \(HTML.when(erased, "<p>\(t("participant.erasedNote", V.date(m.erasedAt, t)))</p>"))
        <dl class="facts">\(factRows)
        \(HTML.when(m.email != nil, "<dt>\(t("field.email"))</dt><dd>\(m.email ?? "")</dd>"))
        \(HTML.when(m.sector != nil, "<dt>\(t("field.sector"))</dt><dd>\(m.sector ?? "")</dd>"))
        \(HTML.when(m.experienceYears != nil, "<dt>\(t("field.experienceYears"))</dt><dd>\(String(m.experienceYears ?? 0))</dd>"))
        \(HTML.when(!m.languageList.isEmpty, "<dt>\(t("field.languages"))</dt><dd>\(m.languageList.map { Languages.name($0, in: lang) }.joined(separator: ", "))</dd>"))
        \(HTML.when(m.place != nil, "<dt>\(t("field.place"))</dt><dd>\(m.place ?? "")</dd>"))
        \(HTML.when(m.hoursPerWeek != nil, "<dt>\(t("field.hoursPerWeek"))</dt><dd>\(V.plainNumber(m.hoursPerWeek ?? 0))</dd>"))
        \(HTML.when(m.participantRole == .mentor, "<dt>\(t("field.capacity"))</dt><dd>\(String(m.capacity))</dd>"))
        </dl>
        \(HTML.when(!failures.isEmpty && !erased, "<p class=\"error\">\(t("participant.failsRules", failures.map { $0.message(lang) }.joined(separator: " ")))</p>"))
        <h2>\(t("participant.pairs"))</h2>
        \(HTML.either(pairs.isEmpty, "<p>\(t("participant.noPairs"))</p>", "<ul>\(pairs.map { "<li><a href=\"\(SiteURL.pair($0.0.id).path)\">\($0.1)</a></li>" as HTML })</ul>"))
        \(HTML.when(m.participantRole == .mentee && !erased, "<h2>\(t("suggestions.title"))</h2>\(suggestionPart)"))
        \(HTML.when(rules.kind == .personToPerson, """
        <h2>\(t("participant.personalData"))</h2>
        <p><a href="\(SiteURL.participantExport(m.id).path)">\(t("participant.export"))</a></p>
        \(HTML.when(!erased, """
        <form method="post" action="\(SiteURL.participantErase(m.id).path)">\(ctx.csrfField)
        <p class="hint">\(t("participant.eraseHint"))</p>
        \(V.input("confirm", t("participant.eraseConfirm", t("participant.eraseWord")), value: nil, errors: errors, t: t, extra: " autocomplete=\"off\""))
        <button type="submit" class="danger">\(t("participant.erase"))</button></form>
        """))
        """))
        """
        return Layout.page(ctx, title: m.shownName(t), main: main, status: status)
    }

    // MARK: a round

    static func round(_ ctx: PageContext, programme p: MentoringProgramme, rules: ProgrammeRules, round r: RoundRow, proposals: [MentoringProposal],
                      participants: [Int: MentoringParticipant], mentors: [MentoringParticipant], free: [Int: Int], errors: FieldErrors,
                      chosen: [Int: Int?] = [:], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let options = [(value: "", label: t("round.none"))] + mentors.map { (value: String($0.id!), label: "\($0.displayName) (\(t("round.places", String(free[$0.id!] ?? 0))))") }
        let rows = proposals.map { prop -> HTML in
            let mentee = participants[prop.$mentee.id]
            let selected = (chosen[prop.$mentee.id] ?? prop.$mentor.id).map(String.init) ?? ""
            let name = "mentor-\(prop.$mentee.id)"
            let suggested = prop.$suggestedMentor.id.flatMap { participants[$0]?.displayName } ?? t("round.none")
            let field: HTML = r.status == "proposed"
                ? Form.select(name: name, label: t("round.mentorFor", mentee?.displayName ?? ""), options: options, selected: selected, error: V.errorText(errors, name, t), id: V.fid(name))
                : "\(prop.$mentor.id.flatMap { participants[$0]?.displayName } ?? t("round.none"))"
            return "<tr><th scope=\"row\">\(mentee?.displayName ?? "")</th><td>\(suggested)</td><td>\(field)</td></tr>"
        }
        let main: HTML = """
        <h1>\(t("round.title", String(r.id ?? 0)))</h1>
        <p class="lead"><a href="\(SiteURL.programme(p.id).path)">\(p.title)</a> · \(t("round.status.\(r.status)"))</p>
        <p>\(t("round.explain"))</p>
        \(V.summary(errors, t))
        \(errors["round"].map { "<p class=\"error\" id=\"f-round\">\(t($0.key, args: $0.arguments))</p>" as HTML })
        <form method="post" action="\(SiteURL.round(r.id).path)" novalidate>\(ctx.csrfField)
        <table class="list"><thead><tr><th scope="col">\(t("role.mentee"))</th><th scope="col">\(t("round.suggested"))</th><th scope="col">\(t("round.chosen"))</th></tr></thead><tbody>\(rows)</tbody></table>
        \(HTML.when(r.status == "proposed", """
        <button type="submit" class="secondary">\(t("round.save"))</button>
        <button type="submit" formaction="\(SiteURL.roundConfirm(r.id).path)">\(t("round.confirm"))</button>
        """))
        </form>
        """
        return Layout.page(ctx, title: t("round.title", String(r.id ?? 0)), main: main, status: status)
    }

    // MARK: a trajectory

    struct PairPage {
        var programme: MentoringProgramme
        var rules: ProgrammeRules
        var pair: MentoringPair
        var mentee: MentoringParticipant
        var mentor: MentoringParticipant
        var events: [MentoringStageEvent]
        var log: [MentoringLogEntry]
        var evaluations: [MentoringEvaluation]
        var canManage: Bool
        var canWrite: Bool
        var canEvaluate: [MentoringRole]
        var errors = FieldErrors()
        var values: [String: String] = [:]
    }

    static func pair(_ ctx: PageContext, _ page: PairPage, status: HTTPStatus = .ok) -> Response {
        // A person-to-person pair speaks of visits and first steps, not of work visits and pilot projects.
        let t = ctx.t.speaking(page.rules.kind == .personToPerson ? "person" : nil), lang = ctx.language.rawValue
        let earliest = PairDates.earliest(programmeStart: Day(page.programme.startsOn), pairStarted: Day(page.pair.startedOn))
        let rules = page.rules, pair = page.pair, errors = page.errors
        let title = t("pair.name", page.mentor.shownName(t), page.mentee.shownName(t))
        let current = rules.stages.firstIndex { $0.id == pair.stage } ?? 0
        let steps = rules.stages.enumerated().map { i, s -> HTML in
            "<li\(HTML.when(i == current, " aria-current=\"step\""))\(HTML.attr("class", i < current ? "done" : (i == current ? "current" : nil)))>\(s.title(lang))</li>"
        }
        let history = page.events.map { e -> HTML in
            let what = e.comment.hasPrefix("outcome:") ? t("pair.endedWith", outcomeTitle(rules, String(e.comment.dropFirst(8)), lang))
                : (e.fromStage == nil ? t("pair.started", stageTitle(rules, e.toStage, lang)) : t("pair.moved", stageTitle(rules, e.fromStage ?? "", lang), stageTitle(rules, e.toStage, lang)))
            return "<li>\(V.date(e.at, t)): \(what)\(HTML.when(!e.comment.isEmpty && !e.comment.hasPrefix("outcome:"), " — \(e.comment)"))</li>"
        }
        let log = page.log.map { e -> HTML in "<tr><td>\(e.day)</td><td>\(t("log.kind.\(e.kind)"))</td><td>\(e.note)</td></tr>" }
        let evals = page.evaluations.map { e -> HTML in "<li><strong>\(t("role.\(e.side)"))</strong>: \(String(e.rating))/5\(HTML.when(!e.text.isEmpty, " — \(e.text)"))</li>" }
        let stageOptions = rules.stages.map { (value: $0.id, label: $0.title(lang)) }
        let next = rules.stages.indices.contains(current + 1) ? rules.stages[current + 1].id : pair.stage
        let atEvaluation = OutcomeRules.atEvaluation(pair.stage, rules: rules)
        let earlyFields: HTML = """
        \(V.checkbox("confirm_early", t("pair.confirmEarly", rules.stages.last?.title(lang) ?? ""), checked: page.values["confirm_early"] == "yes", errors: errors, t: t))
        \(textarea("early_reason", t("field.earlyReason"), page.values, errors, t))
        """
        let manage: HTML = !(page.canManage && !pair.isEnded) ? .empty : """
        <section aria-labelledby="h-stage"><h2 id="h-stage">\(t("pair.changeStage"))</h2>
        <form method="post" action="\(SiteURL.pairStage(pair.id).path)" novalidate>\(ctx.csrfField)
        \(V.select("stage", t("field.stage"), options: stageOptions, selected: page.values["stage"] ?? next, errors: errors, t: t))
        \(input("comment", t("field.comment"), page.values, errors, t))
        <button type="submit">\(t("pair.moveStage"))</button></form>
        <h2>\(t("pair.end"))</h2>
        <form method="post" action="\(SiteURL.pairOutcome(pair.id).path)" novalidate>\(ctx.csrfField)
        \(HTML.either(atEvaluation, "<p>\(t("pair.endHint"))</p>", "<p>\(t("pair.endEarlyHint", rules.stages.last?.title(lang) ?? ""))</p>"))
        \(V.select("outcome", t("field.outcome"), options: [(value: "", label: t("outcome.choose"))]
            + rules.outcomes.map { (value: $0.id, label: $0.title(lang)) }, selected: page.values["outcome"], errors: errors, t: t))
        \(V.input("ended_on", t("field.endedOn"), value: page.values["ended_on"] ?? Day.today.description, errors: errors, t: t, type: "date"))
        \(HTML.when(!atEvaluation, earlyFields))
        <button type="submit">\(t("pair.recordOutcome"))</button></form></section>
        """
        let writeLog: HTML = !page.canWrite ? .empty : """
        <form method="post" action="\(SiteURL.pairLog(pair.id).path)" novalidate>\(ctx.csrfField)
        \(V.input("day", t("field.day"), value: page.values["day"] ?? Day.today.description, errors: errors, t: t, type: "date",
                  extra: "\(HTML.attr("max", Day.today.description))\(HTML.attr("min", earliest?.description))"))
        \(V.select("kind", t("field.kind"), options: LogbookRules.kinds.map { (value: $0, label: t("log.kind.\($0)")) }, selected: page.values["kind"], errors: errors, t: t))
        \(textarea("note", t("field.note"), page.values, errors, t))
        <button type="submit">\(t("log.add"))</button></form>
        """
        let agreementForm: HTML = !page.canWrite ? .empty : """
        <form method="post" action="\(SiteURL.pairAgreement(pair.id).path)" novalidate>\(ctx.csrfField)
        \(V.input("signed_on", t("field.signedOn"), value: page.values["signed_on"] ?? pair.agreementSignedOn, errors: errors, t: t, type: "date",
                  extra: "\(HTML.attr("max", Day.today.description))\(HTML.attr("min", earliest?.description))"))
        \(V.textarea("goals", t("field.goals"), value: page.values["goals"] ?? pair.agreementGoals, errors: errors, t: t))
        <button type="submit">\(t("agreement.save"))</button></form>
        """
        let planForm: HTML = !page.canWrite ? .empty : """
        <form method="post" action="\(SiteURL.pairPlan(pair.id).path)" novalidate>\(ctx.csrfField)
        \(V.textarea("long_term", t("field.longTerm"), value: page.values["long_term"] ?? pair.planLongTerm, errors: errors, t: t, rows: 4))
        \(V.textarea("pilot", t("field.pilot"), value: page.values["pilot"] ?? pair.planPilot, errors: errors, t: t, rows: 3))
        <button type="submit">\(t("plan.save"))</button></form>
        """
        let evaluationForm: HTML = page.canEvaluate.isEmpty ? .empty : """
        <form method="post" action="\(SiteURL.pairEvaluation(pair.id).path)" novalidate>\(ctx.csrfField)
        \(V.select("side", t("field.side"), options: page.canEvaluate.map { (value: $0.rawValue, label: t("role.\($0.rawValue)")) }, selected: page.values["side"], errors: errors, t: t))
        \(V.select("rating", t("field.rating"), options: (1...5).reversed().map { (value: String($0), label: t("rating.\($0)")) }, selected: page.values["rating"], errors: errors, t: t))
        \(textarea("text", t("field.evaluation"), page.values, errors, t))
        <button type="submit">\(t("evaluation.save"))</button></form>
        """
        let main: HTML = """
        <h1>\(title)</h1>
        <p class="lead"><a href="\(SiteURL.programme(page.programme.id).path)">\(page.programme.title)</a> · \(t("pair.since", pair.startedOn))\(pair.endedOn.map { " – \($0)" } ?? "")\(pair.theme.map { " · \($0)" } ?? "")</p>
        \(HTML.when(pair.isEnded, "<p><strong>\(t("field.outcome")):</strong> \(outcomeTitle(rules, pair.outcome, lang))</p>"))
        \(V.summary(errors, t))
        <h2>\(t("pair.trajectory"))</h2>
        <ol class="steps">\(steps)</ol>
        \(manage)
        <h2 id="agreement">\(t("pair.agreement"))</h2>
        \(HTML.either(pair.agreementSignedOn == nil, "<p>\(t("agreement.none"))</p>", "<p>\(t("agreement.signed", pair.agreementSignedOn ?? ""))</p><p>\(pair.agreementGoals)</p>"))
        \(agreementForm)
        <h2 id="logbook">\(t("pair.logbook"))</h2>
        \(HTML.either(page.log.isEmpty, "<p>\(t("log.none"))</p>", "<table class=\"list\"><thead><tr><th scope=\"col\">\(t("field.day"))</th><th scope=\"col\">\(t("field.kind"))</th><th scope=\"col\">\(t("field.note"))</th></tr></thead><tbody>\(log)</tbody></table>"))
        \(writeLog)
        <h2 id="plan">\(t("pair.plan"))</h2>
        \(HTML.either(pair.planLongTerm.isEmpty && pair.planPilot.isEmpty, "<p>\(t("plan.none"))</p>", "<h3>\(t("field.longTerm"))</h3><p>\(pair.planLongTerm)</p><h3>\(t("field.pilot"))</h3><p>\(pair.planPilot)</p>"))
        \(planForm)
        <h2 id="evaluation">\(t("pair.evaluation"))</h2>
        \(HTML.either(page.evaluations.isEmpty, "<p>\(t("evaluation.none"))</p>", "<ul>\(evals)</ul>"))
        \(evaluationForm)
        <h2>\(t("pair.history"))</h2><ul>\(history)</ul>
        """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    // MARK: learning networks

    struct NetworkItem { var network: LearningNetwork; var host: String; var sessions: Int; var members: Int }

    static func networks(_ ctx: PageContext, _ items: [NetworkItem], canCreate: Bool) -> Response {
        let t = ctx.t
        let rows = items.map { i -> HTML in
            "<tr><th scope=\"row\"><a href=\"\(SiteURL.network(i.network.id).path)\">\(i.network.title)</a></th><td>\(i.host)</td><td>\(String(i.members))</td><td>\(String(i.sessions))</td></tr>"
        }
        let main: HTML = """
        <h1>\(t("networks.title"))</h1>
        <p class="lead">\(t("networks.intro"))</p>
        \(HTML.either(items.isEmpty, "<p>\(t("networks.none"))</p>", """
        <table class="list"><thead><tr><th scope="col">\(t("field.network"))</th><th scope="col">\(t("field.host"))</th><th scope="col">\(t("field.members"))</th><th scope="col">\(t("field.sessions"))</th></tr></thead><tbody>\(rows)</tbody></table>
        """))
        \(HTML.when(canCreate, "<p><a href=\"\(SiteURL.networkNew.path)\">\(t("network.new"))</a></p>"))
        """
        return Layout.page(ctx, title: t("networks.title"), main: main)
    }

    /// The catalogue action a programme or network is about: one of the catalogues' actions, or none.
    static func catalogueActionSelect(_ actions: [(id: String, title: String)], _ values: [String: String], _ errors: FieldErrors,
                                      _ t: Translator) -> HTML {
        let options = [(value: "", label: t("programme.noCatalogueAction"))] + actions.map { (value: $0.id, label: $0.title) }
        return V.select("catalogue_action", t("field.catalogueAction"), options: options, selected: values["catalogue_action"],
                        errors: errors, t: t)
    }

    static func networkForm(_ ctx: PageContext, hosts: [Organisation], actions: [(id: String, title: String)], values: [String: String],
                            errors: FieldErrors, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("network.new"))</h1>
        \(V.summary(errors, t))
        <form method="post" action="\(SiteURL.networkNew.path)" novalidate>\(ctx.csrfField)
        \(V.select("host", t("field.host"), options: hosts.map { (value: String($0.id ?? 0), label: $0.name) }, selected: values["host"], errors: errors, t: t))
        \(input("title", t("field.title"), values, errors, t))
        \(catalogueActionSelect(actions, values, errors, t))
        \(textarea("description", t("field.description"), values, errors, t, rows: 4))
        <button type="submit">\(t("network.create"))</button></form>
        """
        return Layout.page(ctx, title: t("network.new"), main: main, status: status)
    }

    static func network(_ ctx: PageContext, network n: LearningNetwork, host: Organisation, members: [Organisation], sessions: [(LearningSession, [Int])],
                        qualified: Bool, canManage: Bool, errors: FieldErrors, values: [String: String], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let names = Dictionary(lastOf: (members + [host]).map { ($0.id!, $0.name) })
        let today = Day.today.description
        let sessionItems = sessions.map { s, present -> HTML in
            let attendance: HTML = canManage && s.day <= today ? """
            <form method="post" action="\(SiteURL.sessionAttendance(s.id).path)">\(ctx.csrfField)<fieldset><legend>\(t("session.attendance"))</legend>
            \((members + [host]).map { o -> HTML in "<div class=\"check\"><input type=\"checkbox\" id=\"att-\(String(s.id ?? 0))-\(String(o.id ?? 0))\" name=\"present\" value=\"\(String(o.id ?? 0))\"\(HTML.when(present.contains(o.id ?? 0), " checked"))><label for=\"att-\(String(s.id ?? 0))-\(String(o.id ?? 0))\">\(o.name)</label></div>" })
            </fieldset><button type="submit" class="secondary">\(t("session.saveAttendance"))</button></form>
            """ : (present.isEmpty ? .empty : "<p>\(t("session.present", present.compactMap { names[$0] }.joined(separator: ", ")))</p>")
            return """
            <section class="session" aria-labelledby="s-\(String(s.id ?? 0))"><h3 id="s-\(String(s.id ?? 0))">\(s.day)\(HTML.when(!s.place.isEmpty, " — \(s.place)"))</h3>
            \(HTML.when(!s.link.isEmpty, "<p><a href=\"\(s.link)\">\(t("session.online"))</a></p>"))
            <p><strong>\(t("field.agenda")):</strong> \(s.agenda)</p>
            \(HTML.when(!s.notes.isEmpty, "<p><strong>\(t("field.notes")):</strong> \(s.notes)</p>"))
            \(HTML.when(!s.materials.isEmpty, "<p><strong>\(t("field.materials")):</strong> \(s.materials)</p>"))
            \(attendance)</section>
            """
        }
        let manage: HTML = !canManage ? .empty : """
        <h2>\(t("network.addMember"))</h2>
        <form method="post" action="\(SiteURL.networkMembers(n.id).path)" novalidate>\(ctx.csrfField)
        \(input("organisation", t("field.organisationName"), values, errors, t, hint: t("network.memberHint")))
        <button type="submit">\(t("network.addMember"))</button></form>
        <h2>\(t("network.addSession"))</h2>
        <form method="post" action="\(SiteURL.networkSessions(n.id).path)" novalidate>\(ctx.csrfField)
        \(input("day", t("field.day"), values, errors, t, type: "date"))
        \(input("place", t("field.place"), values, errors, t))
        \(input("link", t("field.link"), values, errors, t, type: "url"))
        \(textarea("agenda", t("field.agenda"), values, errors, t))
        \(textarea("notes", t("field.notes"), values, errors, t))
        \(textarea("materials", t("field.materials"), values, errors, t, hint: t("session.materialsHint")))
        <button type="submit">\(t("network.addSession"))</button></form>
        """
        let main: HTML = """
        <h1>\(n.title)</h1>
        <p class="lead">\(t("network.hostedBy")) <a href="\(SiteURL.organisation(host.id).path)">\(host.name)</a>\(n.catalogueActionID.map { " · \($0)" } ?? "")\(HTML.when(qualified, " · <span class=\"badge\">\(t("participant.qualified"))</span>"))</p>
        \(HTML.when(!n.summary.isEmpty, "<p>\(n.summary)</p>"))
        \(V.summary(errors, t))
        <h2>\(t("field.members"))</h2>
        \(HTML.either(members.isEmpty, "<p>\(t("network.noMembers"))</p>", "<ul>\(members.map { "<li><a href=\"\(SiteURL.organisation($0.id).path)\">\($0.name)</a></li>" as HTML })</ul>"))
        <h2>\(t("field.sessions"))</h2>
        \(HTML.either(sessions.isEmpty, "<p>\(t("network.noSessions"))</p>", HTML.join(sessionItems)))
        \(manage)
        """
        return Layout.page(ctx, title: n.title, main: main, status: status)
    }
}
