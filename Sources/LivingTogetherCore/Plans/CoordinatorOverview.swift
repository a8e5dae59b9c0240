import Foundation

/// The coordinator's view of one catalogue across the municipalities of its region: uptake per action,
/// actions without a mentor, municipalities that took up nothing or went quiet, indicators against the
/// catalogue's targets, and funded actions whose funding period has ended (with or without a plan to go on).
/// Built from plain rows so that it can be tested, cached and benchmarked without a database.
public struct CoordinatorOverview: Sendable {
    public struct Municipality: Sendable, Equatable {
        public var id: Int, name: String
        public init(id: Int, name: String) { self.id = id; self.name = name }
    }
    public struct RequestItem: Sendable {
        public var municipality: Int, actionID: String, status: UptakeItemStatus
        public init(municipality: Int, actionID: String, status: UptakeItemStatus) { self.municipality = municipality; self.actionID = actionID; self.status = status }
    }
    public struct PlanAction: Sendable {
        public var id: Int, municipality: Int, catalogueActionID: String?
        public var status: PlanFollowUp.Status, start: Day, end: Day
        /// The latest progress update or reported value.
        public var lastActivity: Day?
        public var fundingEnd: Day?
        public var hasContinuation: Bool
        public init(id: Int, municipality: Int, catalogueActionID: String?, status: PlanFollowUp.Status, start: Day, end: Day,
                    lastActivity: Day?, fundingEnd: Day?, hasContinuation: Bool) {
            self.id = id; self.municipality = municipality; self.catalogueActionID = catalogueActionID; self.status = status
            self.start = start; self.end = end; self.lastActivity = lastActivity; self.fundingEnd = fundingEnd; self.hasContinuation = hasContinuation
        }
    }
    public struct Indicator: Sendable {
        public var id: Int, planAction: Int, municipality: Int, catalogueActionID: String, catalogueIndicatorID: String
        public var values: [IndicatorValue]
        public init(id: Int, planAction: Int, municipality: Int, catalogueActionID: String, catalogueIndicatorID: String, values: [IndicatorValue]) {
            self.id = id; self.planAction = planAction; self.municipality = municipality; self.catalogueActionID = catalogueActionID
            self.catalogueIndicatorID = catalogueIndicatorID; self.values = values
        }
    }

    // MARK: the result

    public struct Uptake: Sendable, Equatable {
        public var actionID: String
        public var approved: [Int], pending: [Int], changesRequested: [Int], declined: [Int]
        public var mentors: [String]
    }
    public enum Quiet: Sendable, Equatable {
        /// Requested, but no action approved (yet).
        case noUptake
        /// Has taken-up actions, but nothing reported since (or ever, when nil).
        case noUpdate(since: Day?)
    }
    public struct QuietMunicipality: Sendable, Equatable { public var municipality: Municipality; public var reason: Quiet }
    public struct RegionalIndicator: Sendable, Equatable {
        public var actionID: String, indicatorID: String
        /// Municipalities that have this indicator in their plan, and those that reported a value.
        public var municipalities: Int, reporting: Int
        /// The sum of every municipality's shared total (each reporter's latest value).
        public var total: Double
        /// The catalogue's target for one municipality, and how many reached it.
        public var targetPerMunicipality: Double?
        public var reachedTarget: Int
        /// The catalogue's target times the municipalities that have the indicator in their plan.
        public var regionalTarget: Double?
    }
    public struct FundingEnded: Sendable, Equatable {
        public var planAction: Int, municipality: Municipality, actionID: String, fundingEnd: Day, status: PlanFollowUp.Status
        public var hasContinuation: Bool
    }

    public var asOf: Day
    public var uptake: [Uptake]
    public var withoutMentor: [String]
    public var quiet: [QuietMunicipality]
    public var indicators: [RegionalIndicator]
    public var fundingEnded: [FundingEnded]
    public var municipalityCount: Int

    public static func build(catalogue: Catalogue, mentors: [String: [String]], municipalities: [Municipality], requests: [RequestItem],
                             actions: [PlanAction], indicators: [Indicator], today: Day, quietMonths: Int = 6) -> CoordinatorOverview {
        let names = Dictionary(municipalities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byAction: [String: [UptakeItemStatus: Set<Int>]] = [:]
        for r in requests { byAction[r.actionID, default: [:]][r.status, default: []].insert(r.municipality) }
        func sorted(_ ids: Set<Int>?) -> [Int] { (ids ?? []).sorted { (names[$0]?.name ?? "") < (names[$1]?.name ?? "") } }
        let uptake = catalogue.actions.map { a -> Uptake in
            let s = byAction[a.id] ?? [:]
            return Uptake(actionID: a.id, approved: sorted(s[.approved]), pending: sorted(s[.pending]),
                          changesRequested: sorted(s[.changesRequested]), declined: sorted(s[.declined]), mentors: mentors[a.id] ?? a.mentorMunicipalities)
        }
        let withoutMentor = uptake.filter { $0.mentors.isEmpty }.map(\.actionID)

        // Quiet municipalities.
        let approvedBy = Set(requests.filter { $0.status == .approved }.map(\.municipality))
        var lastActivity: [Int: Day] = [:]
        var hasActions = Set<Int>()
        for a in actions {
            hasActions.insert(a.municipality)
            if let d = a.lastActivity, d > (lastActivity[a.municipality] ?? Day(0, 1, 1)) { lastActivity[a.municipality] = d }
        }
        for i in indicators {
            for v in i.values where v.day > (lastActivity[i.municipality] ?? Day(0, 1, 1)) { lastActivity[i.municipality] = v.day }
        }
        var quiet: [QuietMunicipality] = []
        for m in municipalities.sorted(by: { $0.name < $1.name }) {
            if !approvedBy.contains(m.id) && !hasActions.contains(m.id) {
                quiet.append(.init(municipality: m, reason: .noUptake))
            } else if let last = lastActivity[m.id] {
                if last.adding(months: quietMonths) < today { quiet.append(.init(municipality: m, reason: .noUpdate(since: last))) }
            } else {
                quiet.append(.init(municipality: m, reason: .noUpdate(since: nil)))
            }
        }

        // Indicators across the region.
        var regional: [RegionalIndicator] = []
        var grouped: [String: [Indicator]] = [:]
        for i in indicators { grouped["\(i.catalogueActionID)/\(i.catalogueIndicatorID)", default: []].append(i) }
        for a in catalogue.actions {
            for ind in a.indicators {
                let list = grouped["\(a.id)/\(ind.id)"] ?? []
                // Within a municipality its organisations' values combine as the indicator's kind asks (yes/no: yes
                // once anyone says yes); across the region the municipalities' figures add up (yes/no: how many).
                let combination = IndicatorCombination.of(scale: ind.effectiveScale, maximum: ind.maximum)
                var perMunicipalityValues: [Int: [Double]] = [:]
                var measured = Set<Int>()
                for i in list {
                    measured.insert(i.municipality)
                    if let t = IndicatorMath.total(i.values, asOf: today, combining: combination) {
                        perMunicipalityValues[i.municipality, default: []].append(t)
                    }
                }
                let perMunicipality = perMunicipalityValues.compactMapValues { combination.combine($0) }
                let reached = ind.target.map { target in
                    perMunicipality.values.filter { ind.direction == .increase ? $0 >= target : $0 <= target }.count
                } ?? 0
                regional.append(RegionalIndicator(actionID: a.id, indicatorID: ind.id, municipalities: measured.count, reporting: perMunicipality.count,
                                                  total: perMunicipality.values.reduce(0, +), targetPerMunicipality: ind.target, reachedTarget: reached,
                                                  regionalTarget: ind.target.map { $0 * Double(measured.count) }))
            }
        }

        // Funding that has ended.
        var ended: [FundingEnded] = []
        for a in actions {
            guard let actionID = a.catalogueActionID, let end = a.fundingEnd, end < today, let m = names[a.municipality] else { continue }
            ended.append(.init(planAction: a.id, municipality: m, actionID: actionID, fundingEnd: end, status: a.status, hasContinuation: a.hasContinuation))
        }
        ended.sort { ($0.hasContinuation ? 1 : 0, $0.municipality.name, $0.actionID) < ($1.hasContinuation ? 1 : 0, $1.municipality.name, $1.actionID) }

        return CoordinatorOverview(asOf: today, uptake: uptake, withoutMentor: withoutMentor, quiet: quiet, indicators: regional,
                                   fundingEnded: ended, municipalityCount: municipalities.count)
    }
}

/// Checks of a plan action as typed.
public enum PlanRules {
    public static let statuses = PlanFollowUp.Status.allCases

    /// Dates must be days; the end must not come before the start. Errors keyed "start", "end".
    public static func checkDates(start: String, end: String, into errors: inout FieldErrors) -> (Day, Day)? {
        let s = Day(start.trimmingCharacters(in: .whitespaces)), e = Day(end.trimmingCharacters(in: .whitespaces))
        if s == nil { errors.addUnreadableDate("start", start) }
        if e == nil { errors.addUnreadableDate("end", end) }
        guard let s, let e else { return nil }
        if e < s { errors.add("end", "error.date.endBeforeStart", [s.description]); return nil }
        return (s, e)
    }
}

/// A plan action as typed in the form or sent to the API, before it is stored.
public struct PlanActionInput: Sendable, Equatable, Codable {
    public var title: String = ""
    public var goals: String = ""
    public var activities: String = ""
    public var owner: String = ""
    public var start: String = ""
    public var end: String = ""
    public var budget: String = ""
    public var status: String = PlanFollowUp.Status.planned.rawValue
    public var fundingEnd: String = ""
    public var continuation: String = ""
    public init() {}

    public struct Checked: Sendable, Equatable {
        public var title: String, goals: String, activities: String, owner: String
        public var start: Day, end: Day, budget: Double?, status: PlanFollowUp.Status, fundingEnd: Day?, continuation: String
    }

    public static let maximumTextLength = 5_000

    /// Errors are keyed by the form's field names: title, goals, activities, owner, start, end, budget, status, funding_end, continuation.
    public func check() -> Result<Checked, FieldErrors> {
        var errors = FieldErrors()
        let title = self.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "error.plan.titleMissing") }
        if title.count > 200 { errors.add("title", "error.text.long", ["200"]) }
        for (field, value) in [("goals", goals), ("activities", activities), ("owner", owner), ("continuation", continuation)]
        where value.count > Self.maximumTextLength {
            errors.add(field, "error.text.long", [String(Self.maximumTextLength)])
        }
        let dates = PlanRules.checkDates(start: start, end: end, into: &errors)
        var budgetValue: Double? = nil
        switch Money.read(budget) {
        case .failure(let p): errors.add("budget", p.key, p.arguments)
        case .success(let b): budgetValue = b
        }
        let status = PlanFollowUp.Status(rawValue: self.status)
        if status == nil { errors.add("status", "error.choice.unknown") }
        var funding: Day? = nil
        let f = fundingEnd.trimmingCharacters(in: .whitespaces)
        if !f.isEmpty {
            if let d = Day(f) { funding = d } else { errors.addUnreadableDate("funding_end", fundingEnd) }
        }
        guard errors.isEmpty, let (s, e) = dates, let status else { return .failure(errors) }
        return .success(Checked(title: title, goals: goals.trimmingCharacters(in: .whitespacesAndNewlines),
                                activities: activities.trimmingCharacters(in: .whitespacesAndNewlines),
                                owner: owner.trimmingCharacters(in: .whitespacesAndNewlines), start: s, end: e, budget: budgetValue, status: status,
                                fundingEnd: funding, continuation: continuation.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

/// A new indicator of a plan action as typed.
public struct IndicatorInput: Sendable, Equatable, Codable {
    public var name: String = ""
    public var unit: String = ""
    public var scale: String = IndicatorScale.count.rawValue
    public var direction: String = Catalogue.Indicator.Direction.increase.rawValue
    public var baseline: String = "0"
    public var target: String = ""
    public var howMeasured: String = ""
    public init() {}

    public struct Checked: Sendable, Equatable {
        public var name: String, unit: String, scale: IndicatorScale, direction: Catalogue.Indicator.Direction
        public var baseline: Double, target: Double?, howMeasured: String
    }

    /// Errors keyed name, unit, scale, direction, baseline, target, how_measured.
    public func check() -> Result<Checked, FieldErrors> {
        var errors = FieldErrors()
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines), unit = self.unit.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "error.indicator.nameMissing") }
        if name.count > 200 { errors.add("name", "error.text.long", ["200"]) }
        if unit.isEmpty { errors.add("unit", "error.indicator.unitMissing") }
        if unit.count > 60 { errors.add("unit", "error.text.long", ["60"]) }
        let scale = IndicatorScale(rawValue: self.scale)
        if scale == nil { errors.add("scale", "error.choice.unknown") }
        let direction = Catalogue.Indicator.Direction(rawValue: self.direction)
        if direction == nil { errors.add("direction", "error.choice.unknown") }
        let rule = IndicatorRule(scale: scale ?? .amount, unitNames: [unit])
        var baseline = 0.0, target: Double? = nil, baselineRead = true
        let b = self.baseline.trimmingCharacters(in: .whitespaces)
        if !b.isEmpty {
            switch rule.read(b) {
            case .success(let v): baseline = v
            case .failure(let p): errors.add("baseline", p.messageKey, p.arguments); baselineRead = false
            }
        }
        if !self.target.trimmingCharacters(in: .whitespaces).isEmpty {
            switch rule.read(self.target) {
            case .success(let v): target = v
            case .failure(let p): errors.add("target", p.messageKey, p.arguments)
            }
        }
        if baselineRead, let t = target, let d = direction, t == baseline || (d == .increase) != (t > baseline) {
            errors.add("target", d == .increase ? "error.indicator.targetNotAbove" : "error.indicator.targetNotBelow")
        }
        if howMeasured.count > 2_000 { errors.add("how_measured", "error.text.long", ["2000"]) }
        guard errors.isEmpty, let scale, let direction else { return .failure(errors) }
        return .success(Checked(name: name, unit: unit, scale: scale, direction: direction, baseline: baseline, target: target,
                                howMeasured: howMeasured.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

extension IndicatorRule.Problem {
    /// The interface string that explains the problem, and its arguments.
    public var messageKey: String {
        switch self {
        case .empty: return "error.value.missing"
        case .notANumber: return "error.value.notANumber"
        case .wrongUnit: return "error.value.wrongUnit"
        case .notWhole: return "error.value.notWhole"
        case .belowMinimum: return "error.value.belowMinimum"
        case .aboveMaximum: return "error.value.aboveMaximum"
        }
    }
    public var arguments: [String] {
        func f(_ d: Double) -> String { d.plainText }
        switch self {
        case .empty: return []
        case .notANumber(let s): return [s]
        case .wrongUnit(let given): return [given]
        case .notWhole(let v): return [f(v)]
        case .belowMinimum(let v, let m): return [f(v), f(m)]
        case .aboveMaximum(let v, let m): return [f(v), f(m)]
        }
    }
}
