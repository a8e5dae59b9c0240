import Foundation
import Synchronization
import LivingTogetherCore
import Vapor

/// The participation pages: per page a model struct (filled by its query in `ParticipationController`) and a view.
extension Double {
    /// Rounded to one decimal, as hours and kilometres are shown.
    var tenths: Double { (self * 10).rounded() / 10 }
}

enum ParticipationViews {
    typealias V = PlanViews

    static func text(_ l: LocalizedText, _ ctx: PageContext) -> HTML { BenchmarkViews.text(l, ctx) }
    static func day(_ d: Day, _ t: Translator) -> String { EventViews.day(d, t) }
    static func hours(_ minutes: Int, _ t: Translator) -> String { hours(Double(minutes) / 60, t) }
    static func hours(_ h: Double, _ t: Translator) -> String {
        t("participation.hours", V.plainNumber(h.tenths))
    }
    /// "26 of 40 hours".
    static func progressText(_ p: ParticipationHours.Progress, _ t: Translator) -> String {
        t("participation.progress", V.plainNumber(p.hours.tenths), String(p.requiredHours))
    }

    static func level(_ l: CEFRLevel?, _ t: Translator) -> String { l?.label ?? t("participation.level.none") }
    static func category(_ c: ActivityCategory, _ t: Translator) -> String { t("participation.category.\(c.rawValue)") }

    /// "Every Wednesday, 14:00–16:00, from 6 January 2027 to 30 June 2027" or "On 3 dates, 10:00–12:00".
    static func schedule(_ s: ActivitySchedule, _ t: Translator) -> String {
        let time = "\(s.start)–\(s.end)"
        switch s.kind {
        case .weekly:
            let weekday = s.weekday.map { t("participation.weekday.\($0)") } ?? ""
            let from = s.from.flatMap { Day($0) }.map { day($0, t) } ?? ""
            let until = s.until.flatMap { Day($0) }.map { day($0, t) } ?? ""
            return t("participation.everyWeek", weekday, time, from, until)
        case .dates: return t("participation.onDates", t.number(s.dates.count), time)
        }
    }

    static let finderLanguages = ["nl", "en", "fr", "ar", "tr", "uk", "ru", "so", "ti", "fa", "ps", "es"]

    /// A language's name in the interface language, or its code when the interface has no name for it.
    static func languageName(_ code: String, _ t: Translator) -> String {
        t.has("language.\(code)") ? t("language.\(code)") : code.uppercased()
    }

    static func counts(_ a: Activity, _ t: Translator) -> HTML {
        a.counts ? "<span class=\"badge\">\(t("participation.counts"))</span>" : .empty
    }

    static func places(_ a: Activity, _ seats: ParticipationUseCases.Seats, _ t: Translator) -> String {
        guard let c = a.capacity else { return t("events.placesUnlimited") }
        let left = max(0, c - seats.registered)
        if left == 0 { return t("participation.full", t.number(c), t.number(seats.waiting)) }
        return t("events.placesLeft", t.number(left), t.number(c))
    }

    // MARK: the finder

    struct FinderPage {
        var values: [String: String]
        var errors = FieldErrors()
        var hits: [ActivityFinder.Hit] = []
        var total = 0
        var query: ActivityQuery
        var placeName: String?
        var names: [Int: String] = [:]
        var canOrganise = false
    }

    static let radii = [0, 5, 10, 20, 50]

    /// The finder's lists of choices, in one language.
    struct FinderOptions {
        var levels: [(value: String, label: String)]
        var categories: [(value: String, label: String)]
        var radius: [(value: String, label: String)]
        var languages: [(value: String, label: String)]
        /// The same rendered once, without the first ("any") choice, for pages without errors.
        var markup: [String: String] = [:]

        init(_ t: Translator) {
            levels =
                [(value: "", label: t("participation.anyLevel"))]
                + CEFRLevel.allCases.map { (value: $0.rawValue, label: t("participation.levelUpTo", $0.label)) }
            categories =
                [(value: "", label: t("participation.anyCategory"))]
                + ActivityCategory.allCases.map { (value: $0.rawValue, label: category($0, t)) }
            radius = radii.map { r in
                (value: String(r),
                 label: r == 0 ? t("participation.radius.only") : t("participation.radius.km", String(r)))
            }
            languages =
                [(value: "", label: t("participation.anyLanguage"))]
                + finderLanguages.map { (value: $0, label: languageName($0, t)) }
            let lists = [("level", levels), ("category", categories), ("language", languages), ("radius", radius)]
            for (name, list) in lists {
                markup[name] = Form.optionsMarkup(Array(list.dropFirst()))
            }
        }
    }

    private static let finderOptions = Mutex<[Language: FinderOptions]>([:])

    static func options(_ t: Translator) -> FinderOptions {
        if let o = finderOptions.withLock({ $0[t.language] }) { return o }
        let o = FinderOptions(t)
        finderOptions.withLock { $0[t.language] = o }
        return o
    }

    /// A select of the finder: from the kept markup, or built whole when it shows an error.
    static func finderSelect(_ name: String, _ label: String, _ list: [(value: String, label: String)],
                             _ o: FinderOptions, _ v: [String: String], _ e: FieldErrors, _ t: Translator,
                             default value: String? = nil) -> HTML {
        let selected = v[name] ?? value
        if e[name] == nil, let markup = o.markup[name] {
            return Form.select(name: name, label: label, first: list[0], optionsMarkup: markup, selected: selected)
        }
        return V.select(name, label, options: list, selected: selected, errors: e, t: t)
    }

    static func finder(_ ctx: PageContext, _ page: FinderPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let v = page.values
        let e = page.errors
        let o = options(t)
        let results = page.hits.map { h -> HTML in
            let a = h.listing.activity
            let place = page.names[h.listing.municipality] ?? ""
            let distance: HTML =
                h.distanceKm.map { d in
                    " · \(t("participation.distance", V.plainNumber(d.tenths)))" as HTML
                } ?? .empty
            return """
                <li class="record"><h3><a href="\(SiteURL.activity(h.listing.id).path)">\(text(a.title, ctx))\
                </a>\(counts(a, t))</h3>
                <p class="kind">\(category(a.category, t)) · \(t("participation.levelShort", level(a.level, t)))</p>
                <p><strong>\(day(h.next, t)), \(a.schedule.start)–\(a.schedule.end)</strong> · \(place)\(distance)</p>
                <p>\(text(a.easy, ctx))</p></li>
                """
        }
        let q = page.query
        let pages = max(1, (page.total + q.perPage - 1) / q.perPage)
        var pager: [HTML] = []
        func link(_ p: Int) -> String {
            var items = v.filter { !$0.value.isEmpty && $0.key != "page" }.sorted { $0.key < $1.key }
                .map { "\(SiteURL.queryValue($0.key))=\(SiteURL.queryValue($0.value))" }
            items.append("page=\(p)")
            return SiteURL.participation.path + "?" + items.joined(separator: "&")
        }
        if q.page > 1 { pager.append("<a href=\"\(link(q.page - 1))\" rel=\"prev\">\(t("pager.previous"))</a>") }
        if q.page < pages { pager.append("<a href=\"\(link(q.page + 1))\" rel=\"next\">\(t("pager.next"))</a>") }
        let main: HTML = """
            <h1>\(t("participation.title"))</h1>
            <p class="lead">\(t("participation.intro"))</p>
            <p>\(HTML.when(ctx.user != nil,
                "<a href=\"\(SiteURL.participationHours.path)\">\(t("participation.myHours"))</a>"))\
            \(HTML.when(page.canOrganise,
                " · <a href=\"\(SiteURL.participationManage.path)\">\(t("participation.manageTitle"))</a>"))</p>
            \(Form.errorSummary(e, t))
            <form method="get" action="\(SiteURL.participation.path)" class="filters" role="search" novalidate>
            \(V.input("place", t("participation.place"), value: v["place"], errors: e, t: t,
                hint: t("participation.placeHint"),
                  extra: " autocomplete=\"address-level2\""))
            \(finderSelect("radius", t("participation.radius"), o.radius, o, v, e, t, default: "10"))
            \(finderSelect("level", t("participation.myLevel"), o.levels, o, v, e, t))
            \(finderSelect("category", t("participation.categoryLabel"), o.categories, o, v, e, t))
            \(V.input("from", t("participation.from"), value: v["from"], errors: e, t: t, type: "date"))
            \(V.input("to", t("participation.to"), value: v["to"], errors: e, t: t, type: "date"))
            \(finderSelect("language", t("participation.language"), o.languages, o, v, e, t))
            <div class="actions"><button type="submit">\(t("participation.search"))</button></div>
            </form>
            <h2 id="results">\(t(page.total == 1 ? "participation.results.one" : "participation.results",
                t.number(page.total)))\
            \(page.placeName.map { " — \($0)" as HTML })</h2>
            \(HTML.either(page.hits.isEmpty, "<p>\(t("participation.noResults"))</p>",
                "<ul class=\"records\">\(results)</ul>"))
            \(HTML.when(!pager.isEmpty,
                "<nav class=\"pager\" aria-label=\"\(t("pager.label"))\">\(HTML.join(pager, separator: " "))</nav>"))
            """
        return Layout.page(ctx, title: t("participation.title"), main: main, status: status)
    }

    // MARK: one activity

    struct ActivityPage {
        var row: ActivityRow
        var activity: Activity
        var organiser: Organisation
        var municipality: Organisation
        var seats: ParticipationUseCases.Seats
        var mine: EventSeats.Status?
        var upcoming: [Day]
        var canManage = false
        var consented = false
        var errors = FieldErrors()
        var values: [String: String] = [:]
        var registrations: [(ActivityRegistration, User)] = []
    }

    static func activity(_ ctx: PageContext, _ page: ActivityPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let a = page.activity
        let row = page.row
        let id = row.id ?? 0
        let full = a.capacity.map { page.seats.registered >= $0 || page.seats.waiting > 0 } ?? false
        let registration: HTML
        if !row.published {
            registration = "<p class=\"notice\">\(t("participation.draftNotice"))</p>"
        } else if ctx.user == nil {
            registration =
                """
                <p><a href="\(SiteURL.signIn.path)?return_to=\(SiteURL.activity(id).path)">\
                \(t("participation.signInToRegister"))</a></p>
                <p><a href="\(SiteURL.signUp.path)?return_to=\(SiteURL.activity(id).path)">\
                \(t("participation.createAccount"))</a></p>
                """
        } else if let mine = page.mine, mine != .cancelled {
            registration = """
                <p>\(t(mine == .waiting ? "participation.youWait" : "participation.youHaveAPlace"))</p>
                <form method="post" action="\(SiteURL.activityCancel(id).path)" class="inline">\(ctx.csrfField)\
                <button type="submit" class="secondary">\(t("participation.cancel"))</button></form>
                """
        } else {
            registration = """
                \(Form.errorSummary(page.errors, t))
                <form method="post" action="\(SiteURL.activityRegister(id).path)" novalidate>\(ctx.csrfField)
                \(HTML.when(full, "<p class=\"notice\">\(t("participation.fullNotice"))</p>"))
                \(HTML.when(full, V.checkbox("waiting_list", t("participation.joinWaitingList"),
                    checked: page.values["waiting_list"] == "yes",
                                         errors: page.errors, t: t)))
                \(HTML.either(page.consented, "<p class=\"hint\">\(t("participation.consentGiven"))</p>",
                          V.checkbox("consent", t("participation.consent"), checked: page.values["consent"] == "yes",
                                     errors: page.errors, t: t)))
                <div class="actions">\
                <button type="submit">\(t(full ? "participation.registerWaiting" : "participation.register"))</button>\
                </div>
                </form>
                """
        }
        let dates = page.upcoming.map { d -> HTML in "<li>\(day(d, t)), \(a.schedule.start)–\(a.schedule.end)</li>" }
        let languages = (["nl", "en"] + a.languages).map { languageName($0, t) }.joined(separator: ", ")
        let people = page.registrations.map { r, u -> HTML in
            """
            <tr><td>\(u.name)</td><td>\(t("participation.seat.\(r.status)"))</td>\
            <td>\(day(Day(r.requestedAt), t))</td></tr>
            """
        }
        let manage: HTML =
            page.canManage
            ? """
            <section class="review no-print" aria-labelledby="h-organiser">\
            <h2 id="h-organiser">\(t("participation.organiserTools"))</h2>
            <p><strong>\(t("field.status")):\
            </strong> \(t(row.published ? "participation.published" : "participation.draft"))</p>
            <ul><li><a href="\(SiteURL.activityAttendance(id).path)">\(t("participation.attendanceTitle"))</a></li>
            <li><a href="\(SiteURL.activityFigures(id).path)">\(t("participation.figuresTitle"))</a></li>
            <li><a href="\(SiteURL.activityEdit(id).path)">\(t("participation.editTitle"))</a></li></ul>
            <div class="table-scroll"><table class="list">\
            <caption>\(t("participation.registrations", t.number(page.registrations.count)))</caption>
            <thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("field.status"))</th>\
            <th scope="col">\(t("participation.registeredOn"))</th></tr></thead><tbody>\(people)</tbody></table></div>
            </section>
            """ : .empty
        let main: HTML = """
            <p><a href="\(SiteURL.participation.path)">← \(t("participation.title"))</a></p>
            <h1>\(text(a.title, ctx))\(counts(a, t))</h1>
            <p class="lead">\(text(a.summary, ctx))</p>
            <section class="easy" aria-labelledby="h-easy"><h2 id="h-easy">\(t("participation.easy"))</h2>\
            <p>\(text(a.easy, ctx))</p></section>
            <dl class="facts">
            <dt>\(t("participation.categoryLabel"))</dt><dd>\(category(a.category, t))</dd>
            <dt>\(t("participation.levelLabel"))</dt><dd>\(level(a.level, t))</dd>
            <dt>\(t("participation.when"))</dt><dd>\(schedule(a.schedule, t))</dd>
            <dt>\(t("participation.where"))</dt><dd>\(a.address), \(page.municipality.name)</dd>
            <dt>\(t("participation.organiser"))</dt><dd>\
            <a href="\(SiteURL.organisation(page.organiser.id).path)">\(page.organiser.name)</a></dd>
            <dt>\(t("participation.criteria"))</dt>\
            <dd>\(t(a.counts ? "participation.criteria.yes" : "participation.criteria.no"))</dd>
            <dt>\(t("participation.languages"))</dt><dd>\(languages)</dd>
            <dt>\(t("participation.places"))</dt><dd>\(places(a, page.seats, t))</dd>
            \(a.accessibility.map { "<dt>\(t("participation.accessibility"))</dt><dd>\(text($0, ctx))</dd>" as HTML })
            </dl>
            <h2>\(t("participation.nextDates"))</h2>
            \(HTML.either(dates.isEmpty, "<p>\(t("participation.noNextDates"))</p>", "<ul>\(dates)</ul>"))
            <p><a href="\(SiteURL.activityCalendar(id).path)">\(t("participation.calendar"))</a></p>
            <section aria-labelledby="h-registration" id="registration">\
            <h2 id="h-registration">\(t("participation.registration"))</h2>
            \(registration)</section>
            \(manage)
            """
        return Layout.page(ctx, title: a.title(ctx.language.rawValue), main: main, status: status)
    }

    // MARK: the organiser's form

    struct FormPage {
        var row: ActivityRow?
        var organisers: [Organisation]
        var values: [String: String]
        var errors = FieldErrors()
    }

    static func form(_ ctx: PageContext, _ page: FormPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let v = page.values
        let e = page.errors
        let action = page.row.flatMap(\.id).map { SiteURL.activityEdit($0).path } ?? SiteURL.activityNew.path
        let title = t(page.row == nil ? "participation.newTitle" : "participation.editTitle")
        let categories = ActivityCategory.allCases.map { (value: $0.rawValue, label: category($0, t)) }
        let levels =
            [(value: "none", label: t("participation.level.none"))]
            + CEFRLevel.allCases.map { (value: $0.rawValue, label: $0.label) }
        let weekdays =
            [(value: "", label: t("participation.chooseWeekday"))]
            + (1...7).map { (value: String($0), label: t("participation.weekday.\($0)")) }
        let kinds = [
            (value: "weekly", label: t("participation.schedule.weekly")),
            (value: "dates", label: t("participation.schedule.dates")),
        ]
        func pair(_ base: String, _ label: String, area: Bool, hint: String? = nil) -> HTML {
            HTML.join(
                ["en", "nl"].map { lang -> HTML in
                    let name = "\(base)_\(lang)"
                    let l = "\(label) (\(languageName(lang, t)))"
                    return area
                        ? V.textarea(name, l, value: v[name], errors: e, t: t, rows: 3, hint: hint)
                        : V.input(name, l, value: v[name], errors: e, t: t, hint: hint)
                })
        }
        let organiser: HTML =
            page.row == nil
            ? V.select(
                "organiser", t("participation.organiser"),
                options: page.organisers.map { (value: String($0.id ?? 0), label: $0.name) }, selected: v["organiser"],
                errors: e, t: t) : .empty
        let main: HTML = """
            <p><a href="\(SiteURL.participationManage.path)">← \(t("participation.manageTitle"))</a></p>
            <h1>\(title)</h1>
            \(Form.errorSummary(e, t))
            <form method="post" action="\(action)" novalidate>\(ctx.csrfField)
            <fieldset><legend>\(t("participation.form.who"))</legend>
            \(organiser)
            \(V.input("municipality", t("participation.municipality"), value: v["municipality"], errors: e, t: t,
                  hint: t("participation.municipalityHint")))
            \(V.input("address", t("participation.address"), value: v["address"], errors: e, t: t))
            </fieldset>
            <fieldset><legend>\(t("participation.form.what"))</legend>
            \(pair("title", t("participation.form.title"), area: false))
            \(pair("summary", t("participation.form.summary"), area: true))
            \(pair("easy", t("participation.form.easy"), area: true, hint: t("participation.form.easyHint")))
            \(V.select("category", t("participation.categoryLabel"), options: categories, selected: v["category"],
                errors: e, t: t))
            \(V.select("level", t("participation.levelLabel"), options: levels, selected: v["level"], errors: e, t: t))
            \(V.checkbox("group", t("participation.form.group"), checked: v["group"] == "yes", errors: e, t: t))
            \(V.checkbox("dutch", t("participation.form.dutch"), checked: v["dutch"] == "yes", errors: e, t: t))
            \(V.input("languages", t("participation.form.languages"), value: v["languages"], errors: e, t: t,
                  hint: t("participation.form.languagesHint")))
            \(pair("accessibility", t("participation.accessibility"), area: true))
            \(V.input("capacity", t("participation.form.capacity"), value: v["capacity"], errors: e, t: t,
                  hint: t("participation.form.capacityHint"), extra: " inputmode=\"numeric\""))
            </fieldset>
            <fieldset><legend>\(t("participation.form.when"))</legend>
            \(V.select("schedule", t("participation.form.scheduleKind"), options: kinds, selected: v["schedule"],
                errors: e, t: t))
            \(V.input("start", t("participation.form.start"), value: v["start"], errors: e, t: t, type: "time"))
            \(V.input("end", t("participation.form.end"), value: v["end"], errors: e, t: t, type: "time"))
            \(V.select("weekday", t("participation.form.weekday"), options: weekdays, selected: v["weekday"],
                errors: e, t: t))
            \(V.input("from", t("participation.form.first"), value: v["from"], errors: e, t: t, type: "date"))
            \(V.input("until", t("participation.form.last"), value: v["until"], errors: e, t: t, type: "date"))
            \(V.textarea("except", t("participation.form.except"), value: v["except"], errors: e, t: t, rows: 2,
                     hint: t("participation.form.datesHint")))
            \(V.textarea("dates", t("participation.form.dates"), value: v["dates"], errors: e, t: t, rows: 3,
                     hint: t("participation.form.datesHint")))
            </fieldset>
            \(V.checkbox("published", t("participation.form.published"), checked: v["published"] == "yes", errors: e,
                t: t))
            <div class="actions"><button type="submit">\(t("form.save"))</button></div>
            </form>
            """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    // MARK: attendance

    struct AttendancePage {
        var row: ActivityRow
        var activity: Activity
        var day: Day?
        var dates: [Day]
        var people: [(user: User, line: AttendanceRow?)]
        var values: [String: String] = [:]
        var errors = FieldErrors()
    }

    static func attendance(_ ctx: PageContext, _ page: AttendancePage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let id = page.row.id ?? 0
        let e = page.errors
        let length = page.activity.schedule.minutes ?? 0
        let dayOptions = page.dates.map { (value: $0.description, label: day($0, t)) }
        let lines = page.people.map { p -> HTML in
            let uid = p.user.id ?? 0
            let present = page.values.isEmpty ? (p.line?.present ?? true) : page.values["present_\(uid)"] == "yes"
            let minutes = page.values["minutes_\(uid)"] ?? p.line.map { String($0.minutes) } ?? String(length)
            let error = V.errorText(e, "minutes_\(uid)", t)
            return """
                <tr\(HTML.when(error != nil, " class=\"has-error\""))><th scope="row">\(p.user.name)</th>
                <td><div class="choice"><input type="checkbox" id="f-present_\(uid)" name="present_\(uid)" value="yes"\
                \(HTML.when(present, " checked"))><label for="f-present_\(uid)">\(t("participation.present"))</label>\
                </div></td>
                <td>\(error.map { "<p class=\"error\" id=\"f-minutes_\(uid)-error\">\($0)</p>" as HTML })\
                <label for="f-minutes_\(uid)" class="visually-hidden">\(t("participation.minutesOf", p.user.name))\
                </label>\
                <input id="f-minutes_\(uid)" name="minutes_\(uid)" inputmode="numeric" size="4" value="\(minutes)"\
                \(HTML.when(error != nil, " aria-invalid=\"true\" aria-describedby=\"f-minutes_\(uid)-error\""))></td>\
                </tr>
                """
        }
        let recordForm: HTML =
            page.day.map { d in
                """
                <form method="post" action="\(SiteURL.activityAttendance(id).path)" novalidate>\(ctx.csrfField)
                <input type="hidden" name="day" value="\(d.description)">
                <div class="table-scroll"><table class="list"><caption>\(t("participation.attendanceOn", day(d, t)))\
                </caption>
                <thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("participation.present"))</th>\
                <th scope="col">\(t("participation.minutes", String(length)))</th></tr></thead>
                <tbody>\(lines)</tbody></table></div>
                \(HTML.when(page.people.isEmpty, "<p>\(t("participation.nobodyRegistered"))</p>"))
                <div class="actions"><button type="submit">\(t("participation.saveAttendance"))</button></div></form>
                """ as HTML
            } ?? .empty
        let main: HTML = """
            <p><a href="\(SiteURL.activity(id).path)">← \(text(page.activity.title, ctx))</a></p>
            <h1>\(t("participation.attendanceTitle"))</h1>
            <p>\(t("participation.attendanceIntro", String(length)))</p>
            \(Form.errorSummary(e, t))
            <form method="get" action="\(SiteURL.activityAttendance(id).path)" class="filters">
            \(HTML.either(dayOptions.isEmpty,
                      V.input("day", t("participation.date"), value: page.day?.description, errors: e, t: t,
                              type: "date"),
                      V.select("day", t("participation.date"), options: dayOptions, selected: page.day?.description,
                               errors: e, t: t)))
            <div class="actions"><button type="submit" class="secondary">\(t("participation.chooseDate"))</button>\
            </div></form>
            \(recordForm)
            """
        return Layout.page(ctx, title: t("participation.attendanceTitle"), main: main, status: status)
    }

    // MARK: figures

    struct FiguresPage {
        var title: String
        var back: (href: String, label: String)
        var summary: ParticipationFigures.Summary
        var titles: [Int: String]
        var csv: String
    }

    static func cell(_ v: Int?, _ t: Translator) -> HTML {
        v.map { "\(t.number($0))" as HTML } ?? "<abbr title=\"\(t("participation.hidden"))\">&lt;5</abbr>"
    }

    static func hoursCell(_ c: ParticipationFigures.Cell, _ t: Translator) -> HTML {
        c.hours.map { "\(V.plainNumber($0.tenths))" as HTML } ?? "—"
    }

    static func figures(_ ctx: PageContext, _ page: FiguresPage) -> Response {
        let t = ctx.t
        let s = page.summary
        let rows = s.activities.map { a -> HTML in
            """
            <tr><th scope="row"><a href="\(SiteURL.activity(a.activity).path)">\(page.titles[a.activity] ?? "")</a>\
            </th>\
            <td>\(level(a.level, t))</td><td>\(cell(a.registered, t))</td><td>\(cell(a.waiting, t))</td>\
            <td>\(cell(a.attended.people, t))</td><td>\(hoursCell(a.attended, t))</td><td>\(cell(a.noShows, t))</td>\
            </tr>
            """
        }
        let levels = s.byLevel.map { l -> HTML in
            """
            <tr><th scope="row">\(level(l.level, t))</th><td>\(t.number(l.activities))</td>\
            <td>\(cell(l.attended.people, t))</td><td>\(hoursCell(l.attended, t))</td></tr>
            """
        }
        let main: HTML = """
            <p><a href="\(page.back.href)">← \(page.back.label)</a></p>
            <h1>\(page.title)</h1>
            <p>\(t("participation.figuresIntro"))</p>
            <dl class="facts"><dt>\(t("participation.participants"))</dt><dd>\(cell(s.total.people, t))</dd>
            <dt>\(t("participation.hoursTotal"))</dt><dd>\(hoursCell(s.total, t))</dd></dl>
            <div class="table-scroll"><table class="list"><caption>\(t("participation.perActivity"))</caption>
            <thead><tr><th scope="col">\(t("participation.activity"))</th>\
            <th scope="col">\(t("participation.levelLabel"))</th>\
            <th scope="col">\(t("participation.registeredCount"))</th>\
            <th scope="col">\(t("participation.waitingCount"))</th>\
            <th scope="col">\(t("participation.participants"))</th><th scope="col">\(t("participation.hoursTotal"))\
            </th>\
            <th scope="col">\(t("participation.noShows"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            <div class="table-scroll"><table class="list"><caption>\(t("participation.perLevel"))</caption>
            <thead><tr><th scope="col">\(t("participation.levelLabel"))</th>\
            <th scope="col">\(t("participation.activities"))</th>\
            <th scope="col">\(t("participation.participants"))</th><th scope="col">\(t("participation.hoursTotal"))\
            </th></tr></thead>
            <tbody>\(levels)</tbody></table></div>
            <p><a href="\(page.csv)" download>\(t("participation.downloadCSV"))</a></p>
            """
        return Layout.page(ctx, title: page.title, main: main)
    }

    // MARK: the organiser's list

    struct ManagePage {
        var activities: [(row: ActivityRow, activity: Activity, seats: ParticipationUseCases.Seats)]
        var organisers: [Organisation]
        var municipalities: [Organisation]
    }

    static func manage(_ ctx: PageContext, _ page: ManagePage) -> Response {
        let t = ctx.t
        let items = page.activities.map { i -> HTML in
            let id = i.row.id ?? 0
            return """
                <li class="record"><h2 class="h3"><a href="\(SiteURL.activity(id).path)">\
                \(text(i.activity.title, ctx))</a>\
                \(HTML.when(!i.row.published, " <span class=\"badge\">\(t("participation.draft"))</span>"))</h2>
                <p class="kind">\(category(i.activity.category, t)) · \(schedule(i.activity.schedule, t))</p>
                <p>\(places(i.activity, i.seats, t)) · \
                <a href="\(SiteURL.activityAttendance(id).path)">\(t("participation.attendanceTitle"))</a> · \
                <a href="\(SiteURL.activityFigures(id).path)">\(t("participation.figuresTitle"))</a></p></li>
                """
        }
        let municipalities = page.municipalities.map { m -> HTML in
            """
            <li><a href="\(SiteURL.participationMunicipality(m.id).path)">\
            \(t("participation.municipalityFigures", m.name))</a></li>
            """
        }
        let main: HTML = """
            <p><a href="\(SiteURL.participation.path)">← \(t("participation.title"))</a></p>
            <h1>\(t("participation.manageTitle"))</h1>
            \(HTML.when(!page.organisers.isEmpty,
                "<p><a href=\"\(SiteURL.activityNew.path)\">\(t("participation.newTitle"))</a></p>"))
            \(HTML.either(items.isEmpty, "<p>\(t("participation.noActivities"))</p>",
                "<ul class=\"records\">\(items)</ul>"))
            \(HTML.when(!municipalities.isEmpty,
                "<h2>\(t("participation.municipalitiesTitle"))</h2><ul>\(municipalities)</ul>"))
            """
        return Layout.page(ctx, title: t("participation.manageTitle"), main: main)
    }

    // MARK: a participant's hours

    struct HoursPage {
        var user: ParticipationUseCases.Person
        var records: [ParticipationUseCases.PersonRecord]
        var progress: ParticipationHours.Progress
        var registrations: [(ActivityRegistration, ActivityRow, Activity)] = []
        var access: [ParticipationAccess] = []
        /// Set when a counsellor reads the page: read-only, without the person's own tools.
        var readOnly = false
        var values: [String: String] = [:]
        var errors = FieldErrors()
    }

    static func progressBar(_ p: ParticipationHours.Progress, _ t: Translator) -> HTML {
        let done = min(p.hours, Double(p.requiredHours))
        return """
            <p class="progress-line">\
            <label for="progress">\(progressText(p, t))</label>
            <progress id="progress" max="\(p.requiredHours)" value="\(V.plainNumber(done.tenths))">\
            </progress></p>
            <p>\(p.complete ? t("participation.complete") : t("participation.remaining",
                V.plainNumber(p.remainingHours.tenths)))</p>
            """
    }

    static func recordsTable(_ records: [ParticipationUseCases.PersonRecord], _ ctx: PageContext) -> HTML {
        let t = ctx.t
        let rows = records.map { r -> HTML in
            """
            <tr><td>\(day(r.day, t))</td><th scope="row">\(text(r.activity.title, ctx))</th><td>\(r.organiser)</td>\
            <td>\(r.present ? hours(r.minutes, t) : t("participation.absent"))</td>\
            <td>\(t(r.activity.counts ? "participation.countsYes" : "participation.countsNo"))</td></tr>
            """
        }
        return HTML.either(
            records.isEmpty, "<p>\(t("participation.noRecords"))</p>",
            """
            <div class="table-scroll"><table class="list"><caption>\(t("participation.recordsCaption"))</caption>
            <thead><tr><th scope="col">\(t("participation.date"))</th><th scope="col">\(t("participation.activity"))\
            </th>\
            <th scope="col">\(t("participation.organiser"))</th><th scope="col">\(t("participation.hoursTotal"))</th>\
            <th scope="col">\(t("participation.countsColumn"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """)
    }

    static func hours(_ ctx: PageContext, _ page: HoursPage, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let e = page.errors
        let title = page.readOnly ? t("participation.personTitle", page.user.name) : t("participation.myHours")
        let regs = page.registrations.map { r, row, a -> HTML in
            """
            <li><a href="\(SiteURL.activity(row.id).path)">\(text(a.title, ctx))</a> — \
            \(t("participation.seat.\(r.status)"))</li>
            """
        }
        let access = page.access.map { a -> HTML in
            """
            <li>\(a.counsellor.name) (\(a.counsellor.email))
            <form method="post" action="\(SiteURL.participationAccessRevoke(a.id).path)" class="inline">\
            \(ctx.csrfField)\
            <button type="submit" class="link">\(t("participation.revoke"))</button></form></li>
            """
        }
        let word = t("participation.eraseWord")
        let own: HTML =
            page.readOnly
            ? .empty
            : """
            <h2>\(t("participation.myActivities"))</h2>
            \(HTML.either(regs.isEmpty, "<p>\(t("participation.noRegistrations"))</p>", "<ul>\(regs)</ul>"))
            <p><a href="\(SiteURL.participationProof.path)">\(t("participation.proofTitle"))</a></p>
            <section aria-labelledby="h-counsellors"><h2 id="h-counsellors">\(t("participation.counsellors"))</h2>
            <p>\(t("participation.counsellorsIntro"))</p>
            \(HTML.when(!access.isEmpty, "<ul>\(access)</ul>"))
            \(Form.errorSummary(e, t))
            <form method="post" action="\(SiteURL.participationAccess.path)" novalidate>\(ctx.csrfField)
            \(V.input("email", t("participation.counsellorEmail"), value: page.values["email"], errors: e, t: t,
                type: "email",
                  extra: " autocomplete=\"off\""))
            <div class="actions"><button type="submit">\(t("participation.grant"))</button></div></form></section>
            <section aria-labelledby="h-data"><h2 id="h-data">\(t("participation.myData"))</h2>
            <p><a href="\(SiteURL.participationExport.path)">\(t("participation.export"))</a></p>
            <form method="post" action="\(SiteURL.participationErase.path)" novalidate>\(ctx.csrfField)
            <p>\(t("participation.eraseIntro"))</p>
            \(V.input("confirm", t("participation.eraseConfirm", word), value: nil, errors: e, t: t,
                extra: " autocomplete=\"off\""))
            <div class="actions"><button type="submit" class="danger">\(t("participation.erase"))</button></div>\
            </form></section>
            """
        let main: HTML = """
            <p><a href="\(page.readOnly ? SiteURL.participationPeople.path : SiteURL.participation.path)">← \
            \(t(page.readOnly ? "participation.peopleTitle" : "participation.title"))</a></p>
            <h1>\(title)</h1>
            \(progressBar(page.progress, t))
            \(HTML.when(page.progress.otherMinutes > 0,
                "<p class=\"hint\">\(t("participation.otherHours", hours(page.progress.otherMinutes, t)))</p>"))
            \(recordsTable(page.records, ctx))
            \(own)
            """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    // MARK: the proof

    static func proof(_ ctx: PageContext, _ page: HoursPage) -> Response {
        let t = ctx.t
        var byActivity: [Int: (activity: Activity, organiser: String, minutes: Int, dates: Int)] = [:]
        for r in page.records where r.present && r.minutes > 0 && r.activity.counts {
            var e = byActivity[r.activityID] ?? (r.activity, r.organiser, 0, 0)
            e.minutes += r.minutes
            e.dates += 1
            byActivity[r.activityID] = e
        }
        let rows = byActivity.sorted { $0.key < $1.key }.map { _, e -> HTML in
            """
            <tr><th scope="row">\(text(e.activity.title, ctx))</th><td>\(e.organiser)</td>\
            <td>\(t.number(e.dates))</td><td>\(hours(e.minutes, t))</td></tr>
            """
        }
        let main: HTML = """
            <p class="no-print"><a href="\(SiteURL.participationHours.path)">← \(t("participation.myHours"))</a></p>
            <h1>\(t("participation.proofTitle"))</h1>
            <dl class="facts"><dt>\(t("field.name"))</dt><dd>\(page.user.name)</dd>
            <dt>\(t("participation.proofDate"))</dt><dd>\(day(.today, t))</dd>
            <dt>\(t("participation.hoursCounted"))</dt>\
            <dd>\(progressText(page.progress, t))</dd></dl>
            <p>\(t("participation.proofIntro"))</p>
            <div class="table-scroll"><table class="list"><caption>\(t("participation.proofCaption"))</caption>
            <thead><tr><th scope="col">\(t("participation.activity"))</th>\
            <th scope="col">\(t("participation.organiser"))</th>\
            <th scope="col">\(t("participation.datesCount"))</th><th scope="col">\(t("participation.hoursTotal"))</th>\
            </tr></thead>
            <tbody>\(rows)</tbody></table></div>
            \(Form.printButton(t, hint: t("participation.printHint")))
            """
        return Layout.page(ctx, title: t("participation.proofTitle"), main: main)
    }

    // MARK: the counsellor

    struct PeoplePage {
        var people: [(user: User, progress: ParticipationHours.Progress, since: Date)]
    }

    static func people(_ ctx: PageContext, _ page: PeoplePage) -> Response {
        let t = ctx.t
        let rows = page.people.map { p -> HTML in
            """
            <tr><th scope="row"><a href="\(SiteURL.participationPerson(p.user.id).path)">\(p.user.name)</a></th>\
            <td>\(progressText(p.progress, t))</td>\
            <td>\(t(p.progress.complete ? "participation.done" : "participation.notYet"))</td>\
            <td>\(day(Day(p.since), t))</td></tr>
            """
        }
        let table: HTML = """
            <div class="table-scroll"><table class="list"><caption>\(t("participation.peopleCaption"))</caption>
            <thead><tr><th scope="col">\(t("field.name"))</th><th scope="col">\(t("participation.hoursTotal"))</th>\
            <th scope="col">\(t("field.status"))</th><th scope="col">\(t("participation.since"))</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        let main: HTML = """
            <h1>\(t("participation.peopleTitle"))</h1>
            <p>\(t("participation.peopleIntro"))</p>
            \(HTML.either(rows.isEmpty, "<p>\(t("participation.noPeople"))</p>", table))
            """
        return Layout.page(ctx, title: t("participation.peopleTitle"), main: main)
    }
}
