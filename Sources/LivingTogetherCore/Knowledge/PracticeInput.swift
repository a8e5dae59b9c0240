/// A record as a member writes it in a form, in one language at a time: the texts of that language (a person's
/// own), the facts and the tags. Reading it gives the record, or the errors keyed by the form's field names; a record
/// being edited keeps its texts in the other language.
public struct PracticeInput: Sendable, Equatable {
    /// The form's text fields and the record's field each fills, in the order of the form.
    public static var textFields: [(field: String, key: WritableKeyPath<Practice, LocalizedText>)] { [
        ("title", \.title), ("summary", \.summary), ("issue", \.issue), ("how_it_works", \.howItWorks), ("results", \.results),
        ("evaluation", \.evaluation), ("beneficiaries", \.beneficiaries), ("staff", \.staff), ("duration", \.duration),
        ("funding", \.funding), ("competences", \.competences),
    ] }
    /// The texts a record cannot go without.
    public static let requiredTexts: Set<String> = ["title", "summary", "issue", "how_it_works"]
    public static let maximumTextLength = 10_000

    /// What the tags may name: the frameworks' themes and key factors, the catalogues' actions, the countries.
    public struct Known: Sendable {
        public var themes: Set<String>
        public var keyFactors: Set<String>
        public var actions: Set<String>
        public var countries: Set<String>
        public init(themes: Set<String>, keyFactors: Set<String>, actions: Set<String>, countries: Set<String>) {
            self.themes = themes; self.keyFactors = keyFactors; self.actions = actions; self.countries = countries
        }
    }

    public var fields: [String: String]
    public init(_ fields: [String: String]) { self.fields = fields }

    func value(_ name: String) -> String { (fields[name] ?? "").trimmingWhitespace() }
    /// The ids of the ticked boxes named "<prefix>:<id>".
    func ticked(_ prefix: String) -> [String] {
        fields.filter { $0.key.hasPrefix(prefix + ":") && !$0.value.isEmpty }.map { String($0.key.dropFirst(prefix.count + 1)) }.sorted()
    }

    /// The record the form describes; `id` is its address, `base` the record being edited.
    public func read(id: String, base: Practice?, known: Known) -> Result<Practice, FieldErrors> {
        var e = FieldErrors()
        let language = value("written_in")
        if !ContentChecker.requiredLanguages.contains(language) { e.add("written_in", "error.choice.unknown") }
        let kind = Practice.Kind(rawValue: value("kind"))
        if kind == nil { e.add("kind", "error.choice.unknown") }
        var p = base ?? Practice(id: id, kind: kind ?? .practice, title: .init([:]), summary: .init([:]), issue: .init([:]),
                                 howItWorks: .init([:]), results: .init([:]), evaluation: .init([:]), beneficiaries: .init([:]),
                                 staff: .init([:]), budgetBand: .unknown, duration: .init([:]), funding: .init([:]), start: "unknown",
                                 end: nil, stillRunning: nil, organisations: [], country: "", contact: nil, languages: [],
                                 translations: [:], themes: [], keyFactors: [], catalogueActions: [], sizeBands: [],
                                 competences: .init([:]), steps: [], durationMinutes: nil, groupSize: nil, materials: nil, source: nil)
        for (field, key) in Self.textFields {
            let text = value(field)
            if text.isEmpty && Self.requiredTexts.contains(field) { e.add(field, "error.knowledge.required") }
            if text.count > Self.maximumTextLength { e.add(field, "error.text.long", [String(Self.maximumTextLength)]) }
            var values = p[keyPath: key].values
            values[language] = text.isEmpty ? nil : text
            p[keyPath: key] = LocalizedText(values)
        }
        if value("title").count > 200 { e.add("title", "error.text.long", ["200"]) }
        if value("summary").count > Practice.maximumSummaryLength {
            e.add("summary", "error.text.long", [String(Practice.maximumSummaryLength)])
        }
        if let kind { p.kind = kind }
        p.budgetBand = Practice.BudgetBand(rawValue: value("budget_band")) ?? {
            if !value("budget_band").isEmpty { e.add("budget_band", "error.choice.unknown") }
            return .unknown
        }()
        let start = value("start"), end = value("end")
        if !start.isEmpty && !PracticeLoader.isYear(start) { e.add("start", "error.knowledge.year", [start]) }
        if !end.isEmpty && !PracticeLoader.isYear(end) { e.add("end", "error.knowledge.year", [end]) }
        if PracticeLoader.isYear(start), PracticeLoader.isYear(end), end < start { e.add("end", "error.knowledge.endBeforeStart", [start]) }
        p.start = start.isEmpty ? "unknown" : start
        p.end = end.isEmpty ? nil : end
        switch value("still_running") {
        case "yes": p.stillRunning = true
        case "no": p.stillRunning = false
        case "", "unknown": p.stillRunning = nil
        default: e.add("still_running", "error.choice.unknown")
        }
        if p.stillRunning == true && p.end != nil { e.add("still_running", "error.knowledge.runningWithEnd") }
        let organisations = value("organisations").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        if organisations.isEmpty { e.add("organisations", "error.knowledge.organisations") }
        if organisations.contains(where: { $0.count > 200 }) || organisations.count > 20 { e.add("organisations", "error.text.long", ["200"]) }
        p.organisations = organisations
        let country = value("country").uppercased()
        if !known.countries.contains(country) { e.add("country", country.isEmpty ? "error.country.missing" : "error.country.unknown", [country]) }
        p.country = country
        let contact = value("contact")
        if contact.count > 300 { e.add("contact", "error.text.long", ["300"]) }
        p.contact = contact.isEmpty ? nil : contact
        let languages = value("languages").lowercased().split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
        if languages.contains(where: { $0.count != 2 || !$0.allSatisfy({ $0.isASCII && $0.isLetter }) }) || languages.count > 20 {
            e.add("languages", "error.knowledge.languages")
        }
        p.languages = languages
        p.themes = ticked("theme"); p.keyFactors = ticked("kf"); p.catalogueActions = ticked("action")
        if p.themes.contains(where: { !known.themes.contains($0) }) || p.keyFactors.contains(where: { !known.keyFactors.contains($0) })
            || p.catalogueActions.contains(where: { !known.actions.contains($0) }) {
            e.add("tags", "error.knowledge.tags")
        }
        let bands = ticked("band")
        p.sizeBands = bands.compactMap(SizeBand.init(rawValue:))
        if p.sizeBands.count != bands.count { e.add("tags", "error.knowledge.tags") }
        // A tool's steps: one paragraph each, its first line the step's title.
        let steps = value("steps").replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if p.kind == .tool && steps.count < 2 { e.add("steps", "error.knowledge.steps") }
        if steps.count > 30 || value("steps").count > Self.maximumTextLength { e.add("steps", "error.text.long", [String(Self.maximumTextLength)]) }
        let old = p.steps
        p.steps = steps.enumerated().map { i, s in
            let lines = s.split(separator: "\n", maxSplits: 1).map(String.init)
            var title = i < old.count ? old[i].title.values : [:], text = i < old.count ? old[i].text.values : [:]
            title[language] = lines.first ?? s
            text[language] = lines.count > 1 ? lines[1].trimmingWhitespace() : ""
            return Practice.Step(title: LocalizedText(title), text: LocalizedText(text))
        }
        let minutes = value("duration_minutes")
        if minutes.isEmpty { p.durationMinutes = nil }
        else if let m = Numbers.readWhole(minutes), (1...100_000).contains(m) { p.durationMinutes = m }
        else { e.add("duration_minutes", "error.knowledge.minutes", [minutes]) }
        let group = value("group_size")
        if group.count > 50 { e.add("group_size", "error.text.long", ["50"]) }
        p.groupSize = group.isEmpty ? nil : group
        let materials = value("materials")
        if materials.count > Self.maximumTextLength { e.add("materials", "error.text.long", [String(Self.maximumTextLength)]) }
        var m = p.materials?.values ?? [:]
        m[language] = materials.isEmpty ? nil : materials
        p.materials = m.isEmpty ? nil : LocalizedText(m)
        if ContentChecker.requiredLanguages.contains(language) { p.translations[language] = .human }
        return e.isEmpty ? .success(p) : .failure(e)
    }

    /// The form's fields for a record, in `language` (for the edit form).
    public static func fields(of p: Practice, language: String) -> [String: String] {
        var f: [String: String] = ["written_in": language, "kind": p.kind.rawValue, "budget_band": p.budgetBand.rawValue,
                                   "start": p.start == "unknown" ? "" : p.start, "end": p.end ?? "",
                                   "still_running": p.stillRunning.map { $0 ? "yes" : "no" } ?? "unknown",
                                   "organisations": p.organisations.joined(separator: "; "), "country": p.country,
                                   "contact": p.contact ?? "", "languages": p.languages.joined(separator: ", "),
                                   "duration_minutes": p.durationMinutes.map(String.init) ?? "", "group_size": p.groupSize ?? "",
                                   "materials": p.materials?.values[language] ?? ""]
        for (field, key) in textFields { f[field] = p[keyPath: key].values[language] ?? "" }
        f["steps"] = p.steps.map { s in
            [s.title.values[language] ?? "", s.text.values[language] ?? ""].filter { !$0.isEmpty }.joined(separator: "\n")
        }.joined(separator: "\n\n")
        for t in p.themes { f["theme:\(t)"] = "on" }
        for k in p.keyFactors { f["kf:\(k)"] = "on" }
        for a in p.catalogueActions { f["action:\(a)"] = "on" }
        for b in p.sizeBands { f["band:\(b.rawValue)"] = "on" }
        return f
    }
}
