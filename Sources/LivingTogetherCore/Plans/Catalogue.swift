import Foundation

/// An action catalogue published by a coordinator: objectives → actions, each with target groups, content
/// partners, mentor municipalities, funding and the indicators that show its result. Versioned content,
/// like benchmark frameworks; a request or a plan will point to the exact version it was made with.
public struct Catalogue: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var summary: LocalizedText
    public var period: Period
    public var licence: String
    public var sources: [Framework.Source]
    public var eligibility: LocalizedText?
    public var objectives: [Objective]

    public struct Period: Codable, Sendable, Equatable {
        /// ISO dates, "2022-01-01".
        public var start: String
        public var end: String
    }

    public struct Objective: Codable, Sendable, Equatable {
        public var id: String
        public var title: LocalizedText
        public var description: LocalizedText
        public var actions: [Action]
    }

    public struct Action: Codable, Sendable, Equatable {
        public var id: String
        public var title: LocalizedText
        public var description: LocalizedText
        public var targetGroups: [LocalizedText]
        public var contentPartners: [String]
        public var mentorMunicipalities: [String]
        public var funding: Funding?
        public var indicators: [Indicator]
    }

    public struct Funding: Codable, Sendable, Equatable {
        public var amountPerUnit: Double
        public var currency: String
        public var cap: Double
        public var coFinancingPercent: Double
    }

    public struct Indicator: Codable, Sendable, Equatable {
        public enum Direction: String, Codable, Sendable { case increase, decrease }
        public var id: String
        public var name: LocalizedText
        public var unit: LocalizedText
        public var direction: Direction
        public var target: Double?
        public var howMeasured: LocalizedText
        /// What kind of number the indicator counts (a count when the file does not say).
        public var scale: IndicatorScale?
        /// The largest value that makes sense ("plan adopted": 1); nil when there is none.
        public var maximum: Double?
        public var effectiveScale: IndicatorScale { scale ?? .count }
    }

    public var actions: [Action] { objectives.flatMap(\.actions) }
    public func action(_ id: String) -> Action? { actions.first { $0.id == id } }
    public func objective(of actionID: String) -> Objective? { objectives.first { $0.actions.contains { $0.id == actionID } } }
}

public enum CatalogueLoader {
    public static func load(_ data: Data, file: String) -> Result<Catalogue, FrameworkProblems> {
        switch ContentChecker.decode(Catalogue.self, from: data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let catalogue):
            let problems = validate(catalogue, file: file)
            return problems.isEmpty ? .success(catalogue) : .failure(FrameworkProblems(problems))
        }
    }

    static func isoDate(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.date(from: s)
    }

    public static func validate(_ k: Catalogue, file: String) -> [FrameworkError] {
        var c = ContentChecker(file: file)
        c.identifier(k.id, "id")
        if k.version < 1 { c.fail("version", "must be 1 or more, not \(k.version)") }
        c.text(k.title, "title")
        c.text(k.summary, "summary")
        if let e = k.eligibility { c.text(e, "eligibility") }
        if k.licence.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("licence", "is empty") }
        if k.sources.isEmpty { c.fail("sources", "name at least one source") }
        let start = isoDate(k.period.start), end = isoDate(k.period.end)
        if start == nil { c.fail("period.start", "\"\(k.period.start)\" is not a date like 2022-01-01") }
        if end == nil { c.fail("period.end", "\"\(k.period.end)\" is not a date like 2025-12-31") }
        if let start, let end, end < start { c.fail("period.end", "the period ends before it starts") }
        if k.objectives.isEmpty { c.fail("objectives", "a catalogue needs at least one objective") }
        c.unique(k.objectives.map(\.id), "objectives")
        // Action ids are unique across the whole catalogue: requests and plans name actions by id alone.
        var actionAt: [String: String] = [:]
        for (i, o) in k.objectives.enumerated() {
            let p = "objectives[\(i)]"
            c.identifier(o.id, "\(p).id")
            c.text(o.title, "\(p).title")
            c.text(o.description, "\(p).description")
            if o.actions.isEmpty { c.fail("\(p).actions", "an objective needs at least one action") }
            for (j, a) in o.actions.enumerated() {
                let ap = "\(p).actions[\(j)]"
                c.identifier(a.id, "\(ap).id")
                if let other = actionAt[a.id] { c.fail("\(ap).id", "duplicate id \"\(a.id)\" (also at \(other))") } else { actionAt[a.id] = ap }
                c.text(a.title, "\(ap).title")
                c.text(a.description, "\(ap).description")
                for (g, t) in a.targetGroups.enumerated() { c.text(t, "\(ap).targetGroups[\(g)]") }
                if let f = a.funding {
                    if f.amountPerUnit < 0 { c.fail("\(ap).funding.amountPerUnit", "must not be negative") }
                    if f.cap < 0 { c.fail("\(ap).funding.cap", "must not be negative") }
                    if !(0...100).contains(f.coFinancingPercent) { c.fail("\(ap).funding.coFinancingPercent", "must be between 0 and 100") }
                    if f.currency.count != 3 { c.fail("\(ap).funding.currency", "\"\(f.currency)\" is not a three-letter currency code") }
                }
                if a.indicators.isEmpty { c.fail("\(ap).indicators", "an action needs at least one indicator") }
                c.unique(a.indicators.map(\.id), "\(ap).indicators")
                for (n, ind) in a.indicators.enumerated() {
                    let ip = "\(ap).indicators[\(n)]"
                    c.identifier(ind.id, "\(ip).id")
                    c.text(ind.name, "\(ip).name")
                    c.text(ind.unit, "\(ip).unit")
                    c.text(ind.howMeasured, "\(ip).howMeasured")
                    if let t = ind.target, t < 0 { c.fail("\(ip).target", "must not be negative") }
                    if let m = ind.maximum, let t = ind.target, t > m { c.fail("\(ip).target", "is above the maximum \(m)") }
                }
            }
        }
        return c.errors
    }
}
