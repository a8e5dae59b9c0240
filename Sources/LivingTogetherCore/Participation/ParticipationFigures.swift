/// The figures organisers and municipalities read: per activity and per municipality, how many people took part, how
/// many hours they spent, and at which levels; a count of fewer than five people is hidden, with the hours it holds.
public enum ParticipationFigures {
    /// One recorded date of one person at one activity (the organiser's attendance line).
    public struct Record: Sendable, Equatable {
        public var activity: Int
        public var person: Int
        public var minutes: Int
        public var present: Bool
        public init(activity: Int, person: Int, minutes: Int, present: Bool) {
            self.activity = activity
            self.person = person
            self.minutes = minutes
            self.present = present
        }
    }

    /// A figure as it may be shown: the people and their hours, or nil for both when fewer than five people.
    public struct Cell: Sendable, Equatable {
        public var people: Int?
        public var hours: Double?
        public var hidden: Bool { people == nil }
        init(people: Set<Int>, minutes: Int) {
            let shown = ParticipationHours.shown(people.count)
            self.people = shown
            self.hours = shown == nil ? nil : Double(minutes) / 60
        }
    }

    public struct ActivityLine: Sendable, Equatable {
        public var activity: Int
        public var level: CEFRLevel?
        public var registered: Int?
        public var waiting: Int?
        public var attended: Cell
        /// Dates a registered person did not come (a count of lines, shown as the people counts are).
        public var noShows: Int?
    }

    public struct LevelLine: Sendable, Equatable {
        public var level: CEFRLevel?
        public var activities: Int
        public var attended: Cell
    }

    public struct Summary: Sendable, Equatable {
        public var activities: [ActivityLine]
        public var byLevel: [LevelLine]
        public var total: Cell
    }

    /// The figures of the given activities (id → the level it asks), from their registrations and attendance lines.
    public static func summary(
        activities: [(id: Int, level: CEFRLevel?)], registered: [Int: Int], waiting: [Int: Int],
        records: [Record]
    ) -> Summary {
        var people: [Int: Set<Int>] = [:]
        var minutes: [Int: Int] = [:]
        var noShows: [Int: Int] = [:]
        for r in records {
            if r.present && r.minutes > 0 {
                people[r.activity, default: []].insert(r.person)
                minutes[r.activity, default: 0] += r.minutes
            } else if !r.present {
                noShows[r.activity, default: 0] += 1
            }
        }
        let lines = activities.map { a in
            ActivityLine(
                activity: a.id, level: a.level, registered: ParticipationHours.shown(registered[a.id] ?? 0),
                waiting: ParticipationHours.shown(waiting[a.id] ?? 0),
                attended: Cell(people: people[a.id] ?? [], minutes: minutes[a.id] ?? 0),
                noShows: ParticipationHours.shown(noShows[a.id] ?? 0))
        }
        var levelPeople: [CEFRLevel?: Set<Int>] = [:]
        var levelMinutes: [CEFRLevel?: Int] = [:]
        var levelCount: [CEFRLevel?: Int] = [:]
        var all = Set<Int>()
        var allMinutes = 0
        for a in activities {
            levelCount[a.level, default: 0] += 1
            levelPeople[a.level, default: []].formUnion(people[a.id] ?? [])
            levelMinutes[a.level, default: 0] += minutes[a.id] ?? 0
            all.formUnion(people[a.id] ?? [])
            allMinutes += minutes[a.id] ?? 0
        }
        let levels: [CEFRLevel?] = [nil] + CEFRLevel.allCases.map { Optional($0) }
        let byLevel = levels.compactMap { l -> LevelLine? in
            guard let n = levelCount[l] else { return nil }
            return LevelLine(
                level: l, activities: n, attended: Cell(people: levelPeople[l] ?? [], minutes: levelMinutes[l] ?? 0))
        }
        return Summary(activities: lines, byLevel: byLevel, total: Cell(people: all, minutes: allMinutes))
    }
}
