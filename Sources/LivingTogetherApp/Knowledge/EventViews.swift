import Foundation
import LivingTogetherCore
import Vapor

enum EventViews {
    typealias V = PlanViews
    typealias Item = (row: EventRow, event: Event)

    struct ListPage {
        var upcoming: [Item] = []
        var past: [Item] = []
        var drafts: [Item] = []
        var canCreate = false
    }

    struct EventPage {
        var row: EventRow
        var event: Event
        var grid: EventGrid
        var jsonLD: String
        var canManage = false
        var ended = false
        /// The person's registration for the event, and for its sessions (by id).
        var mine: EventSeats.Status?
        var needs: AccessibilityNeeds?
        var mySessions: [String: EventSeats.Status] = [:]
        var errors = FieldErrors()
        var values: [String: String] = [:]
    }

    struct SessionPage {
        var row: EventRow
        var event: Event
        var session: Event.Session
        var capacity: Int?
        var taken = 0
        var waiting = 0
        var mine: EventSeats.Status?
        var registeredForEvent = false
        var practices: [(slug: String, title: LocalizedText)] = []
        var canManage = false
        var ended = false
        var errors = FieldErrors()
        var values: [String: String] = [:]
        /// The library's records a material may be linked to (for the organiser's form).
        var libraryOptions: [(slug: String, title: String)] = []
    }

    struct RegistrationsPage {
        var row: EventRow
        var event: Event
        var registrations: [EventRegistration]
        var summary: EventUseCases.Summary
    }

    struct FollowUpPage {
        var row: EventRow
        var event: Event
        var sent: [EventMessage]
        var attendees: Int
        var values: [String: String]
        var errors: FieldErrors
        var ended: Bool
    }

    struct DocumentPage {
        var row: EventRow?
        var owners: [Organisation]
        /// Whether the person may put an event on for the platform itself (library editors).
        var platform: Bool
        var owner: String
        var text: String
        var problems: [String] = []
    }

    struct AgendaPage {
        var items: [EventUseCases.AgendaItem]
        var hasFeed: Bool
        /// The feed address just made (shown once: only its hash is kept).
        var newFeed: String?
    }

    static func text(_ l: LocalizedText, _ ctx: PageContext) -> HTML { BenchmarkViews.text(l, ctx) }

    // MARK: dates and times

    static let monthKeys = (1...12).map { "events.month.\($0)" }

    static func day(_ d: Day, _ t: Translator) -> String {
        let month = d.month >= 1 && d.month <= 12 ? t(monthKeys[d.month - 1]) : String(d.month)
        return "\(d.day) \(month) \(d.year)"
    }

    static func when(_ e: Event, _ t: Translator) -> String {
        let zone = e.timeZone
        if e.start.day == e.end.day { return "\(day(e.start.day, t)), \(e.start.clock)–\(e.end.clock) (\(zone))" }
        return "\(day(e.start.day, t)) \(e.start.clock) – \(day(e.end.day, t)) \(e.end.clock) (\(zone))"
    }

    static func status(_ s: EventSeats.Status?, _ t: Translator) -> HTML {
        guard let s, s != .cancelled else { return .empty }
        return "<span class=\"badge\">\(t("events.seat.\(s.rawValue)"))</span>"
    }

    static func places(_ capacity: Int?, taken: Int, _ t: Translator) -> String {
        guard let capacity else { return t("events.placesUnlimited") }
        return t("events.placesLeft", t.number(max(0, capacity - taken)), t.number(capacity))
    }

    // MARK: list

    static func list(_ ctx: PageContext, _ page: ListPage) -> Response {
        let t = ctx.t
        func items(_ list: [Item]) -> HTML {
            let entries = list.map { i -> HTML in
                """
                <li class="record"><h3><a href="\(SiteURL.event(i.row.slug).path)">\(text(i.event.title, ctx))</a></h3>
                <p class="kind">\(t("events.kind.\(i.event.kind.rawValue)")) · \(when(i.event, t)) · \(i.event.organiser)\
                \(HTML.when(i.row.eventStatus == .cancelled, " · <strong>\(t("eventStatus.cancelled"))</strong>"))</p>
                <p>\(text(i.event.summary, ctx))</p></li>
                """
            }
            return "<ul class=\"records\">\(entries)</ul>"
        }
        let main: HTML = """
        <p><a href="\(SiteURL.knowledge.path)">← \(t("knowledge.title"))</a></p>
        <h1>\(t("events.title"))</h1>
        <p class="lead">\(t("events.intro"))</p>
        <p>\(HTML.when(ctx.user != nil, "<a href=\"\(SiteURL.agenda.path)\">\(t("events.agendaTitle"))</a>"))\
        \(HTML.when(page.canCreate, " · <a href=\"\(SiteURL.eventNew.path)\">\(t("events.newTitle"))</a>"))</p>
        \(HTML.when(!page.drafts.isEmpty, "<h2>\(t("events.drafts"))</h2>\(items(page.drafts))"))
        <h2>\(t("events.upcoming"))</h2>
        \(HTML.either(page.upcoming.isEmpty, "<p>\(t("events.noUpcoming"))</p>", items(page.upcoming)))
        <h2>\(t("events.past"))</h2>
        \(HTML.either(page.past.isEmpty, "<p>\(t("events.noPast"))</p>", items(page.past)))
        """
        return Layout.page(ctx, title: t("events.title"), main: main)
    }

    // MARK: one event

    /// The form's fields for access requests, from stored needs.
    static func needsFields(_ n: AccessibilityNeeds) -> [String: String] {
        var v: [String: String] = ["sign_language": n.signLanguage?.rawValue ?? "", "diet": n.diet ?? "", "other": n.other ?? ""]
        if n.hearingLoop { v["hearing_loop"] = "yes" }
        if n.stepFree { v["step_free"] = "yes" }
        return v
    }

    static func needsFieldset(_ ctx: PageContext, values v: [String: String], errors: FieldErrors) -> HTML {
        let t = ctx.t
        let languages = [(value: "", label: t("events.needs.noInterpreter"))]
            + AccessibilityNeeds.SignLanguage.allCases.map { (value: $0.rawValue, label: t("events.signLanguage.\($0.rawValue)")) }
        return """
        <fieldset><legend>\(t("events.needs.legend"))</legend>
        <p class="hint">\(t("events.needs.hint"))</p>
        \(V.select("sign_language", t("events.needs.signLanguage"), options: languages, selected: v["sign_language"], errors: errors, t: t))
        \(V.checkbox("hearing_loop", t("events.needs.hearingLoop"), checked: v["hearing_loop"] == "yes", errors: errors, t: t))
        \(V.checkbox("step_free", t("events.needs.stepFree"), checked: v["step_free"] == "yes", errors: errors, t: t))
        \(V.input("diet", t("events.needs.diet"), value: v["diet"], errors: errors, t: t))
        \(V.textarea("other", t("events.needs.other"), value: v["other"], errors: errors, t: t, rows: 2))
        </fieldset>
        """
    }

    static func roomFacts(_ room: Event.Room?, _ ctx: PageContext) -> HTML {
        guard let room else { return .empty }
        let t = ctx.t
        var facts: [HTML] = []
        // The room's own words when it has them; else what its step-free flag says.
        if let a = room.accessibility { facts.append(text(a, ctx)) }
        else if room.stepFree == false { facts.append("\(t("events.room.stairs"))") }
        else if room.stepFree == true { facts.append("\(t("events.room.stepFree"))") }
        return facts.isEmpty ? .empty : " (\(HTML.join(facts, separator: "; ")))"
    }

    static func grid(_ ctx: PageContext, _ page: EventPage) -> HTML {
        let t = ctx.t, e = page.event, slug = page.row.slug
        func cell(_ s: Event.Session) -> HTML {
            """
            <div class="slot slot-\(s.kind.rawValue)"><a href="\(SiteURL.session(slug, s.id).path)">\(text(s.title, ctx))</a>
            <span class="when">\(s.start.clock)–\(s.end.clock) · \(t("events.sessionKind.\(s.kind.rawValue)"))</span>\
            \(status(page.mySessions[s.id], t))</div>
            """
        }
        return HTML.join(page.grid.days.map { d -> HTML in
            let head = d.columns.map { c -> HTML in
                let stairs = c.room.flatMap { e.room($0) }?.stepFree == false
                return "<th scope=\"col\">\(c.name)\(HTML.when(stairs, "<br><span class=\"when\">\(t("events.room.stairs"))</span>"))</th>"
            }
            let rows = d.rows.map { r -> HTML in
                "<tr><th scope=\"row\">\(r.start.clock)</th>\(r.cells.map { c -> HTML in "<td>\(HTML.join(c.map(cell)))</td>" })</tr>"
            }
            let list = d.rows.map { r -> HTML in
                let sessions = zip(d.columns, r.cells).flatMap { col, c in c.map { (col, $0) } }
                return """
                <li><h4>\(r.start.clock)</h4><ul>\(sessions.map { col, s -> HTML in
                    "<li>\(cell(s))<span class=\"when\">\(col.name)</span></li>" })</ul></li>
                """
            }
            return """
            <h3>\(day(d.day, t))</h3>
            <div class="grid-wide"><table class="list programme-grid">
            <caption>\(t("events.gridCaption", day(d.day, t)))</caption>
            <thead><tr><th scope="col">\(t("events.time"))</th>\(head)</tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <ol class="grid-list" aria-label="\(t("events.gridCaption", day(d.day, t)))">\(list)</ol>
            """
        })
    }

    static func event(_ ctx: PageContext, _ page: EventPage, status httpStatus: HTTPStatus = .ok) -> Response {
        let t = ctx.t, e = page.event, row = page.row, lang = ctx.language.rawValue
        let machine = e.translations[lang] == .machine
        let venues = e.venues.map { v -> HTML in
            let rooms = v.rooms.map { r -> HTML in "<li>\(r.name)\(roomFacts(r, ctx))</li>" }
            return """
            <li><strong>\(v.name)</strong>\(v.address.map { ", \($0)" as HTML })
            \(v.accessibility.map { "<p>\(text($0, ctx))</p>" as HTML })
            \(HTML.when(!rooms.isEmpty, "<ul>\(rooms)</ul>"))</li>
            """
        }
        let open = row.eventStatus == .published && !page.ended
        let registration: HTML
        if ctx.user == nil {
            registration = open ? "<p><a href=\"\(SiteURL.signIn.path)?return_to=\(SiteURL.event(row.slug).path)\">\(t("events.signInToRegister"))</a></p>" : .empty
        } else if let mine = page.mine {
            registration = """
            <p>\(t(mine == .waiting ? "events.youWait" : "events.youHaveAPlace"))</p>
            \(HTML.when(open, """
            <form method="post" action="\(SiteURL.eventRegister(row.slug).path)" novalidate>\(ctx.csrfField)
            \(needsFieldset(ctx, values: page.values, errors: page.errors))
            <div class="actions"><button type="submit">\(t("events.updateNeeds"))</button></div></form>
            """))
            <form method="post" action="\(SiteURL.eventCancel(row.slug).path)" class="inline">\(ctx.csrfField)\
            <button type="submit" class="secondary">\(t("events.cancelEvent"))</button></form>
            """
        } else if open {
            registration = """
            <form method="post" action="\(SiteURL.eventRegister(row.slug).path)" novalidate>\(ctx.csrfField)
            \(needsFieldset(ctx, values: page.values, errors: page.errors))
            <div class="actions"><button type="submit">\(t("events.register"))</button></div></form>
            """
        } else { registration = .empty }
        let closed: HTML = row.eventStatus == .cancelled ? "<p class=\"notice\">\(t("events.cancelledNotice"))</p>"
            : page.ended ? "<p class=\"notice\">\(t("events.endedNotice"))</p>" : .empty
        let closedHere: HTML = open || page.mine != nil ? .empty : "<p>\(t("events.registrationClosed"))</p>"
        let manage: HTML = page.canManage ? """
        <section class="review no-print" aria-labelledby="h-organiser"><h2 id="h-organiser">\(t("events.organiserTools"))</h2>
        <p><strong>\(t("field.status")):</strong> \(t("eventStatus.\(row.status)"))</p>
        <ul><li><a href="\(SiteURL.eventRegistrations(row.slug).path)">\(t("events.registrationsTitle"))</a></li>
        <li><a href="\(SiteURL.eventFollowUp(row.slug).path)">\(t("events.followUpTitle"))</a></li>
        <li><a href="\(SiteURL.eventEdit(row.slug).path)">\(t("events.editTitle"))</a></li></ul>
        <form method="post" action="\(SiteURL.eventStatus(row.slug).path)">\(ctx.csrfField)<div class="actions">\
        \(HTML.join(EventStatus.allCases.filter { $0 != row.eventStatus }.map { s -> HTML in
            "<button type=\"submit\" name=\"to\" value=\"\(s.rawValue)\"\(HTML.when(s != .published, " class=\"secondary\""))>\(t("events.moveTo.\(s.rawValue)"))</button>"
        }))</div></form></section>
        """ : .empty
        let main: HTML = """
        <p><a href="\(SiteURL.events.path)">← \(t("events.title"))</a></p>
        <h1>\(text(e.title, ctx))</h1>
        <p class="kind">\(t("events.kind.\(e.kind.rawValue)")) · \(when(e, t))</p>
        \(HTML.when(machine, "<p class=\"notice\">\(t("knowledge.machineTranslated"))</p>"))
        \(closed)
        <p class="lead">\(text(e.summary, ctx))</p>
        \(KnowledgeViews.paragraphs(e.description, ctx))
        \(e.note.map { "<p class=\"notice\">\(text($0, ctx))</p>" as HTML })
        <dl class="facts">
        <dt>\(t("events.organiser"))</dt><dd>\(e.organiser)</dd>
        <dt>\(t("events.when"))</dt><dd>\(when(e, t))</dd>
        \(e.online.map { "<dt>\(t("events.online"))</dt><dd><a href=\"\($0)\">\($0)</a></dd>" as HTML })
        <dt>\(t("events.languages"))</dt><dd>\(e.languages.map { t.has("language.\($0)") ? t("language.\($0)") : $0 }.joined(separator: ", "))</dd>
        \(e.capacity.map { "<dt>\(t("events.capacity"))</dt><dd>\(t.number($0))</dd>" as HTML })
        \(e.contact.map { "<dt>\(t("knowledge.contact"))</dt><dd>\($0)</dd>" as HTML })
        </dl>
        \(HTML.when(!venues.isEmpty, "<h2>\(t("events.venues"))</h2><ul>\(venues)</ul>"))
        \(e.accessibility.map { "<h2>\(t("events.accessibility"))</h2><p>\(text($0, ctx))</p>" as HTML })
        <section aria-labelledby="registration"><h2 id="registration">\(t("events.registration"))</h2>
        \(V.summary(page.errors, t))
        \(registration)
        \(closedHere)
        \(HTML.when(ctx.user != nil, "<p><a href=\"\(SiteURL.agenda.path)\">\(t("events.agendaTitle"))</a></p>"))
        </section>
        <section aria-labelledby="programme"><h2 id="programme">\(t("events.programme"))</h2>
        <p>\(t("events.programmeHint"))</p>
        \(grid(ctx, page))
        </section>
        <h2>\(t("events.exports"))</h2>
        <ul><li><a href="\(SiteURL.eventCalendar(row.slug).path)">\(t("events.export.calendar"))</a></li>
        <li><a href="\(SiteURL.eventFrabXML(row.slug).path)">\(t("events.export.frabXML"))</a></li>
        <li><a href="\(SiteURL.eventFrabJSON(row.slug).path)">\(t("events.export.frabJSON"))</a></li></ul>
        \(e.source.map { s in "<p class=\"credit\">\(t("knowledge.source", s.title, s.where))</p>" as HTML })
        \(manage)
        \(HTML.when(row.eventStatus != .draft, "<script type=\"application/ld+json\">\(HTML(raw: page.jsonLD))</script>"))
        """
        return Layout.page(ctx, title: e.title(lang), main: main, status: httpStatus)
    }

    // MARK: one session

    static func session(_ ctx: PageContext, _ page: SessionPage, status httpStatus: HTTPStatus = .ok) -> Response {
        let t = ctx.t, e = page.event, s = page.session, row = page.row, lang = ctx.language.rawValue
        let room = e.room(s.room), venue = e.venue(ofRoom: s.room)
        let open = row.eventStatus == .published && !page.ended && s.takesRegistrations
        let speakers = s.speakers.map { sp -> HTML in
            "<li><strong>\(sp.name)</strong> – \(sp.role)\(HTML.when(!sp.organisation.isEmpty, ", \(sp.organisation)"))\(sp.bio.map { "<br>\($0)" as HTML })</li>"
        }
        let registration: HTML
        if !s.takesRegistrations { registration = "<p>\(t("events.openToAll"))</p>" }
        else if ctx.user == nil {
            registration = open ? "<p><a href=\"\(SiteURL.signIn.path)?return_to=\(SiteURL.session(row.slug, s.id).path)\">\(t("events.signInToRegister"))</a></p>" : .empty
        } else if let mine = page.mine {
            registration = """
            <p>\(t(mine == .waiting ? "events.youWaitSession" : "events.youHaveAPlaceSession"))</p>
            <form method="post" action="\(SiteURL.sessionCancel(row.slug, s.id).path)" class="inline">\(ctx.csrfField)\
            <button type="submit" class="secondary">\(t("events.cancelSession"))</button></form>
            """
        } else if open {
            registration = """
            <form method="post" action="\(SiteURL.sessionRegister(row.slug, s.id).path)" novalidate>\(ctx.csrfField)
            \(HTML.when(!page.registeredForEvent, "<p>\(t("events.alsoEvent"))</p>\(needsFieldset(ctx, values: page.values, errors: page.errors))"))
            <div class="actions"><button type="submit">\(t("events.registerSession"))</button></div></form>
            """
        } else { registration = .empty }
        let materials = s.materials.enumerated().map { i, m -> HTML in
            """
            <li>\(t("events.material.\(m.kind.rawValue)")): <a href="\(m.url)">\(m.title)</a>\(HTML.when(page.canManage, """
             <form method="post" action="\(SiteURL.sessionMaterialRemove(row.slug, s.id).path)" class="inline">\(ctx.csrfField)\
            <input type="hidden" name="index" value="\(i)"><button type="submit" class="link">\(t("events.removeMaterial", m.title))</button></form>
            """))</li>
            """
        }
        let kinds = Event.Material.Kind.allCases.map { (value: $0.rawValue, label: t("events.material.\($0.rawValue)")) }
        let library = [(value: "", label: t("events.noPractice"))] + page.libraryOptions.map { (value: $0.slug, label: $0.title) }
        let addMaterial: HTML = page.canManage ? """
        <form method="post" action="\(SiteURL.sessionMaterials(row.slug, s.id).path)" novalidate class="no-print">\(ctx.csrfField)
        <fieldset><legend>\(t("events.addMaterial"))</legend>
        \(V.select("kind", t("events.materialKind"), options: kinds, selected: page.values["kind"], errors: page.errors, t: t))
        \(V.input("title", t("events.materialTitle"), value: page.values["title"], errors: page.errors, t: t))
        \(V.input("url", t("events.materialURL"), value: page.values["url"], errors: page.errors, t: t, type: "url", hint: "https://…"))
        \(V.select("practice", t("events.materialPractice"), options: library, selected: page.values["practice"], errors: page.errors, t: t))
        <div class="actions"><button type="submit">\(t("events.addMaterialButton"))</button></div>
        </fieldset></form>
        """ : .empty
        let main: HTML = """
        <p><a href="\(SiteURL.event(row.slug).path)#programme">← \(text(e.title, ctx))</a></p>
        <h1>\(text(s.title, ctx))</h1>
        <p class="kind">\(t("events.sessionKind.\(s.kind.rawValue)")) · \(day(s.start.day, t)), \(s.start.clock)–\(s.end.clock) (\(e.timeZone))</p>
        \(KnowledgeViews.paragraphs(s.description, ctx))
        <dl class="facts">
        <dt>\(t("events.where"))</dt><dd>\(room.map { "\($0.name)" as HTML } ?? "\(t("events.elsewhere"))")\
        \(venue.map { ", \($0.name)" as HTML })\(roomFacts(room, ctx))</dd>
        \(HTML.when(s.takesRegistrations, "<dt>\(t("events.places"))</dt><dd>\(places(page.capacity, taken: page.taken, t))\(HTML.when(page.waiting > 0, " · \(t("events.waitingCount", t.number(page.waiting)))"))</dd>"))
        </dl>
        \(HTML.when(!speakers.isEmpty, "<h2>\(t("events.speakers"))</h2><ul>\(speakers)</ul>"))
        <section aria-labelledby="h-registration"><h2 id="h-registration">\(t("events.registration"))</h2>
        \(V.summary(page.errors, t))
        \(registration)
        <p><a href="\(SiteURL.sessionCalendar(row.slug, s.id).path)">\(t("events.export.sessionCalendar"))</a></p>
        </section>
        \(HTML.when(!page.practices.isEmpty, "<h2>\(t("events.practices"))</h2><ul>\(page.practices.map { p -> HTML in "<li><a href=\"\(SiteURL.practice(p.slug).path)\">\(text(p.title, ctx))</a></li>" })</ul>"))
        <h2 id="materials">\(t("events.materials"))</h2>
        \(HTML.either(materials.isEmpty, "<p>\(t("events.noMaterials"))</p>", "<ul>\(materials)</ul>"))
        \(addMaterial)
        """
        return Layout.page(ctx, title: "\(s.title(lang)) · \(e.title(lang))", main: main, status: httpStatus)
    }

    // MARK: the organiser

    static func registrations(_ ctx: PageContext, _ page: RegistrationsPage) -> Response {
        let t = ctx.t, e = page.event, row = page.row, n = page.summary.needs
        let lines = page.summary.lines.map { l -> HTML in
            "<tr><th scope=\"row\">\(l.title)</th><td>\(l.capacity.map { t.number($0) } ?? "–")</td><td>\(t.number(l.registered))</td><td>\(t.number(l.waiting))</td></tr>"
        }
        let sign = AccessibilityNeeds.SignLanguage.allCases.compactMap { l -> HTML? in
            n.signLanguages[l].map { "<li>\(t("events.signLanguage.\(l.rawValue)")): \(t.number($0))</li>" }
        }
        let people = page.registrations.map { r -> HTML in
            let needs = r.accessibility
            var asked: [String] = []
            if let l = needs.signLanguage { asked.append(t("events.signLanguage.\(l.rawValue)")) }
            if needs.hearingLoop { asked.append(t("events.needs.hearingLoop")) }
            if needs.stepFree { asked.append(t("events.needs.stepFree")) }
            if let d = needs.diet { asked.append(d) }
            if let o = needs.other { asked.append(o) }
            let what = r.session.isEmpty ? t("events.wholeEvent") : (e.session(r.session)?.title(ctx.language.rawValue) ?? r.session)
            return "<tr><td>\(r.user.name)</td><td>\(what)</td><td>\(t("events.seat.\(r.status)"))</td><td>\(V.date(r.requestedAt, t))</td><td>\(asked.joined(separator: "; "))</td></tr>"
        }
        let main: HTML = """
        <p><a href="\(SiteURL.event(row.slug).path)">← \(text(e.title, ctx))</a></p>
        <h1>\(t("events.registrationsTitle"))</h1>
        <p><a href="\(SiteURL.eventRegistrationsCSV(row.slug).path)">\(t("events.registrationsCSV"))</a></p>
        <table class="list"><caption>\(t("events.placesCaption"))</caption>
        <thead><tr><th scope="col">\(t("events.what"))</th><th scope="col">\(t("events.capacity"))</th><th scope="col">\(t("events.seat.registered"))</th><th scope="col">\(t("events.seat.waiting"))</th></tr></thead>
        <tbody>\(lines)</tbody></table>
        <h2>\(t("events.needsSummary"))</h2>
        <p>\(t.plural("events.needsPeople", count: Double(n.people), t.number(n.people)))</p>
        <ul>\(sign)
        <li>\(t("events.needs.hearingLoop")): \(t.number(n.hearingLoop))</li>
        <li>\(t("events.needs.stepFree")): \(t.number(n.stepFree))</li>
        <li>\(t("events.needs.diet")): \(HTML.either(n.diets.isEmpty, "–", "\(n.diets.joined(separator: "; "))"))</li>
        <li>\(t("events.needs.other")): \(HTML.either(n.others.isEmpty, "–", "\(n.others.joined(separator: "; "))"))</li></ul>
        <h2>\(t("events.people"))</h2>
        \(HTML.either(people.isEmpty, "<p>\(t("events.nobodyYet"))</p>", """
        <table class="list"><caption>\(t("events.people"))</caption><thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("events.what"))</th>\
        <th scope="col">\(t("field.status"))</th><th scope="col">\(t("events.requestedAt"))</th><th scope="col">\(t("events.needs.legend"))</th></tr></thead>
        <tbody>\(people)</tbody></table>
        """))
        """
        return Layout.page(ctx, title: t("events.registrationsTitle"), main: main)
    }

    static func followUp(_ ctx: PageContext, _ page: FollowUpPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, row = page.row
        let sent = page.sent.map { m -> HTML in
            "<li>\(V.date(m.sentAt, t)), \(m.user?.name ?? t("knowledge.someone")): <strong>\(m.subject)</strong> (\(t.plural("events.recipients", count: Double(m.recipients), t.number(m.recipients))))</li>"
        }
        let main: HTML = """
        <p><a href="\(SiteURL.event(row.slug).path)">← \(text(page.event.title, ctx))</a></p>
        <h1>\(t("events.followUpTitle"))</h1>
        <p>\(t.plural("events.followUpIntro", count: Double(page.attendees), t.number(page.attendees)))</p>
        \(HTML.when(!page.ended, "<p class=\"notice\">\(t("events.notEndedYet"))</p>"))
        \(V.summary(page.errors, t))
        <form method="post" action="\(SiteURL.eventFollowUp(row.slug).path)" novalidate>\(ctx.csrfField)
        \(V.input("subject", t("events.subject"), value: page.values["subject"], errors: page.errors, t: t))
        \(V.textarea("body", t("events.body"), value: page.values["body"], errors: page.errors, t: t, rows: 8, hint: t("events.bodyHint")))
        <div class="actions"><button type="submit">\(t("events.send"))</button></div></form>
        <h2>\(t("events.sent"))</h2>
        \(HTML.either(sent.isEmpty, "<p>\(t("events.noneSent"))</p>", "<ul>\(sent)</ul>"))
        """
        return Layout.page(ctx, title: t("events.followUpTitle"), main: main, status: status)
    }

    static func documentForm(_ ctx: PageContext, _ page: DocumentPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let title = page.row == nil ? t("events.newTitle") : t("events.editTitle")
        let action = page.row.map { SiteURL.eventEdit($0.slug).path } ?? SiteURL.eventNew.path
        var owners = page.owners.map { (value: String($0.id ?? 0), label: $0.name) }
        if page.platform { owners.append((value: "", label: t("events.platformOwned"))) }
        let problems: HTML = page.problems.isEmpty ? .empty : "<ul class=\"error\">\(page.problems.map { p -> HTML in "<li>\(p)</li>" })</ul>"
        let main: HTML = """
        \(page.row.map { "<p><a href=\"\(SiteURL.event($0.slug).path)\">← \(t("events.backToEvent"))</a></p>" as HTML })
        <h1>\(title)</h1>
        <p>\(t("events.documentIntro"))</p>
        <form method="post" action="\(action)" enctype="multipart/form-data" novalidate>\(ctx.csrfField)
        \(HTML.when(page.row == nil, Form.select(name: "owner", label: t("events.owner"), options: owners, selected: page.owner)))
        \(Form.jsonUpload(fileLabel: t("events.documentFile"), pasteLabel: t("events.documentText"), text: page.text,
                          problemsMessage: page.problems.isEmpty ? nil : t.plural("events.documentProblems", count: Double(page.problems.count), String(page.problems.count))))
        \(problems)
        <div class="actions"><button type="submit">\(page.row == nil ? t("events.createButton") : t("form.save"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    // MARK: agenda

    static func agenda(_ ctx: PageContext, _ page: AgendaPage) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let items = page.items.map { i -> HTML in
            if let s = i.session {
                return """
                <li><a href="\(SiteURL.session(i.row.slug, s.id).path)">\(text(s.title, ctx))</a> · \(day(s.start.day, t)), \
                \(s.start.clock)–\(s.end.clock) (\(i.event.timeZone)) · <a href="\(SiteURL.event(i.row.slug).path)">\(text(i.event.title, ctx))</a>\
                \(i.event.room(s.room).map { " · \($0.name)" as HTML })\(status(i.status, t))</li>
                """
            }
            return "<li><a href=\"\(SiteURL.event(i.row.slug).path)\">\(i.event.title(lang))</a> · \(when(i.event, t))\(status(i.status, t))</li>"
        }
        let feed: HTML = page.newFeed.map { url in """
            <p class="notice" role="status">\(t("events.feedMade"))</p>
            <p><label for="feed-url">\(t("events.feedAddress"))</label><br><input id="feed-url" type="text" readonly value="\(url)" size="60"></p>
            """ } ?? "<p>\(t(page.hasFeed ? "events.feedExists" : "events.feedNone"))</p>"
        let main: HTML = """
        <p><a href="\(SiteURL.events.path)">← \(t("events.title"))</a></p>
        <h1>\(t("events.agendaTitle"))</h1>
        \(HTML.either(items.isEmpty, "<p>\(t("events.agendaEmpty"))</p>", "<ol class=\"agenda\">\(items)</ol>"))
        <h2>\(t("events.subscribe"))</h2>
        <p>\(t("events.subscribeHint"))</p>
        \(feed)
        <form method="post" action="\(SiteURL.agendaFeedRenew.path)">\(ctx.csrfField)\
        <button type="submit"\(HTML.when(page.hasFeed, " class=\"secondary\""))>\(t(page.hasFeed ? "events.feedRenew" : "events.feedMake"))</button></form>
        """
        return Layout.page(ctx, title: t("events.agendaTitle"), main: main)
    }
}
