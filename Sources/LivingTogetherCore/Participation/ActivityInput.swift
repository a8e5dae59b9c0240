import Foundation

/// An activity as its organiser types it in the form (or sends it through the API under the same names): every
/// field read, every problem named beside its field, nothing guessed.
public enum ActivityInput {
    public static let maximumTitle = 200, maximumText = 4_000, maximumAddress = 300, maximumCapacity = 10_000
    public static let maximumLanguages = 12

    /// The typed fields of an activity, for a form that shows it again.
    public static func fields(_ a: Activity) -> [String: String] {
        var f: [String: String] = [
            "title_en": a.title.values["en"] ?? "", "title_nl": a.title.values["nl"] ?? "",
            "summary_en": a.summary.values["en"] ?? "", "summary_nl": a.summary.values["nl"] ?? "",
            "easy_en": a.easy.values["en"] ?? "", "easy_nl": a.easy.values["nl"] ?? "",
            "accessibility_en": a.accessibility?.values["en"] ?? "",
            "accessibility_nl": a.accessibility?.values["nl"] ?? "",
            "category": a.category.rawValue, "level": a.level?.rawValue ?? "none",
            "group": a.inGroupOrDuo ? "yes" : "no", "dutch": a.dutchSpeakingContext ? "yes" : "no",
            "languages": a.languages.joined(separator: ", "), "address": a.address,
            "capacity": a.capacity.map(String.init) ?? "", "schedule": a.schedule.kind.rawValue,
            "start": a.schedule.start, "end": a.schedule.end,
        ]
        f["dates"] = a.schedule.dates.joined(separator: "\n")
        f["weekday"] = a.schedule.weekday.map(String.init) ?? ""
        f["from"] = a.schedule.from ?? ""
        f["until"] = a.schedule.until ?? ""
        f["except"] = a.schedule.except.joined(separator: "\n")
        return f
    }

    /// Dates typed one per line or separated by commas or spaces.
    static func list(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace || $0.isNewline }).map(String.init)
    }

    static func trimmed(_ fields: [String: String], _ name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Reads the fields into an activity (its `id` left empty), or the problems by field.
    public static func read(_ fields: [String: String]) -> Result<Activity, FieldErrors> {
        var e = FieldErrors()
        func text(_ base: String, required: Bool, maximum: Int) -> LocalizedText {
            var values: [String: String] = [:]
            for lang in ["en", "nl"] {
                let name = "\(base)_\(lang)"
                let v = trimmed(fields, name)
                if v.count > maximum { e.add(name, "error.text.long", [String(maximum)]) }
                if required && v.isEmpty { e.add(name, "error.participation.required") }
                if !v.isEmpty { values[lang] = v }
            }
            return LocalizedText(values)
        }
        let title = text("title", required: true, maximum: maximumTitle)
        for lang in ["en", "nl"] where trimmed(fields, "title_\(lang)").contains(where: \.isNewline) {
            e.add("title_\(lang)", "error.participation.oneLine")
        }
        let summary = text("summary", required: true, maximum: maximumText)
        let easy = text("easy", required: true, maximum: maximumText)
        let access = text("accessibility", required: false, maximum: maximumText)
        let category = ActivityCategory(rawValue: trimmed(fields, "category"))
        if category == nil { e.add("category", "error.participation.category") }
        let typedLevel = trimmed(fields, "level")
        var level: CEFRLevel? = nil
        if !typedLevel.isEmpty && typedLevel.lowercased() != "none" {
            level = CEFRLevel(typed: typedLevel)
            if level == nil { e.add("level", "error.participation.level", [String(typedLevel.prefix(10))]) }
        }
        let group = yesNo(fields, "group", &e)
        let dutch = yesNo(fields, "dutch", &e)
        let languages = list(trimmed(fields, "languages")).map { $0.lowercased() }
        for l in languages where !Self.isLanguageCode(l) {
            e.add("languages", "error.participation.language", [String(l.prefix(10))])
        }
        if languages.count > maximumLanguages {
            e.add("languages", "error.participation.tooManyLanguages", [String(maximumLanguages)])
        }
        let address = trimmed(fields, "address")
        if address.isEmpty { e.add("address", "error.participation.required") }
        if address.count > maximumAddress { e.add("address", "error.text.long", [String(maximumAddress)]) }
        let typedCapacity = trimmed(fields, "capacity")
        var capacity: Int? = nil
        if !typedCapacity.isEmpty {
            if let c = Int(typedCapacity), c >= 1, c <= maximumCapacity {
                capacity = c
            } else {
                e.add(
                    "capacity", "error.participation.capacity",
                    [String(typedCapacity.prefix(12)), String(maximumCapacity)])
            }
        }
        let kind = ActivitySchedule.Kind(rawValue: trimmed(fields, "schedule"))
        if kind == nil { e.add("schedule", "error.participation.scheduleKind") }
        let weekdayText = trimmed(fields, "weekday")
        let schedule = ActivitySchedule(
            kind: kind ?? .dates,
            dates: kind == .weekly ? [] : list(trimmed(fields, "dates")),
            weekday: kind == .weekly ? Int(weekdayText) : nil,
            from: kind == .weekly ? trimmed(fields, "from") : nil,
            until: kind == .weekly ? trimmed(fields, "until") : nil,
            except: kind == .weekly ? list(trimmed(fields, "except")) : [],
            start: trimmed(fields, "start"), end: trimmed(fields, "end"))
        if LocalDateTime.clockMinutes(schedule.start) == nil { e.add("start", "error.participation.time") }
        if kind != nil {
            for p in schedule.problems() where !(p.field == "end" && LocalDateTime.clockMinutes(schedule.start) == nil)
            {
                e.add(p.field, p.key, p.arguments)
            }
        }
        guard e.isEmpty, let category, let group, let dutch else { return .failure(e) }
        let accessibility = access.values.isEmpty ? nil : access
        return .success(
            Activity(
                id: "", title: title, summary: summary, easy: easy, category: category, level: level,
                inGroupOrDuo: group, dutchSpeakingContext: dutch, languages: languages,
                accessibility: accessibility, address: address, capacity: capacity, schedule: schedule))
    }

    static func yesNo(_ fields: [String: String], _ name: String, _ e: inout FieldErrors) -> Bool? {
        switch trimmed(fields, name).lowercased() {
        case "yes", "true": return true
        case "no", "false", "": return false
        default:
            e.add(name, "error.participation.yesNo")
            return nil
        }
    }

    /// A language as ISO 639-1 writes it: two or three small letters ("ar", "uk", "prs").
    public static func isLanguageCode(_ s: String) -> Bool {
        (2...3).contains(s.utf8.count) && s.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }
}
