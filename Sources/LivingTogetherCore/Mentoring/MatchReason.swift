import Foundation

/// Why a mentor is suggested: one factor of the match, with the figures behind it, so that a page can say it in
/// the reader's language and a test can check it against the data.
public enum MatchReason: Sendable, Equatable, Hashable {
    /// The mentor is strong on a key factor where the mentee has a gap (levels on the theme's scale).
    case strengthOnGap(keyFactor: String, mentor: Int, mentee: Int)
    /// The mentor is further on a key factor than the mentee.
    case further(keyFactor: String, mentor: Int, mentee: Int)
    case sameCountry(String)
    /// A language both speak (ISO 639-1 code).
    case sharedLanguage(String)
    case sameSize(SizeBand)
    /// Size bands next to each other.
    case similarSize(mentor: SizeBand, mentee: SizeBand)
    /// Both work under the same national integration framework (its id, e.g. "BE-VL").
    case sameNationalFramework(String)
    /// Places the mentor still has in this programme.
    case freePlaces(Int)
    /// Person to person: the mentor works or worked in the sector the mentee aims at.
    case sameSector(String)
    case experience(years: Int)
    case sameMunicipality(String)
    /// Distance between the two, in kilometres.
    case nearby(km: Double)
    /// The mentor is available at least as many hours a week as the mentee asks.
    case available(hoursPerWeek: Double)

    /// The factor this reason is about: "key-factor:<id>", "country", "language", "size", "framework", "capacity",
    /// "sector", "experience", "place", "availability".
    public var factor: String {
        switch self {
        case .strengthOnGap(let k, _, _), .further(let k, _, _): "key-factor:\(k)"
        case .sameCountry: "country"
        case .sharedLanguage: "language"
        case .sameSize, .similarSize: "size"
        case .sameNationalFramework: "framework"
        case .freePlaces: "capacity"
        case .sameSector: "sector"
        case .experience: "experience"
        case .sameMunicipality, .nearby: "place"
        case .available: "availability"
        }
    }

    /// The reason as a sentence in `language` ("en" or "nl"; others fall back to English). `keyFactorTitle` gives a
    /// key factor's title, `sectorTitle` a sector's.
    public func text(_ language: String, keyFactorTitle: (String) -> String = { $0 }, sectorTitle: (String) -> String = { $0 }) -> String {
        let nl = language == "nl"
        switch self {
        case .strengthOnGap(let k, let m, let e):
            return nl ? "sterk in \(keyFactorTitle(k)), waar de mentee een tekort heeft (\(m) tegen \(e))"
                      : "strong on \(keyFactorTitle(k)), where the mentee has a gap (\(m) vs \(e))"
        case .further(let k, let m, let e):
            return nl ? "verder in \(keyFactorTitle(k)) (\(m) tegen \(e))" : "further on \(keyFactorTitle(k)) (\(m) vs \(e))"
        case .sameCountry(let c): return nl ? "hetzelfde land (\(c))" : "same country (\(c))"
        case .sharedLanguage(let l): return nl ? "spreekt ook \(Languages.name(l, in: "nl"))" : "shares \(Languages.name(l, in: "en"))"
        case .sameSize: return nl ? "dezelfde grootte" : "same size"
        case .similarSize: return nl ? "vergelijkbare grootte" : "similar size"
        case .sameNationalFramework(let f): return nl ? "hetzelfde nationale kader (\(f))" : "same national framework (\(f))"
        case .freePlaces(let n):
            return nl ? (n == 1 ? "nog 1 plaats vrij" : "nog \(n) plaatsen vrij") : (n == 1 ? "1 place free" : "\(n) places free")
        case .sameSector(let s): return nl ? "ervaring in \(sectorTitle(s))" : "works in \(sectorTitle(s))"
        case .experience(let y): return nl ? "\(y) jaar beroepservaring" : "\(y) years of professional experience"
        case .sameMunicipality(let m): return nl ? "woont ook in \(m)" : "also lives in \(m)"
        case .nearby(let km):
            let d = km < 1 ? "< 1" : String(km.roundedClamped)
            return nl ? "op \(d) km" : "\(d) km away"
        case .available(let h):
            let hours = h.wholeNumber.map(String.init) ?? String(format: "%.1f", h)
            return nl ? "beschikbaar \(hours) uur per week" : "available \(hours) hours a week"
        }
    }
}

/// Names of the languages most used in Europe, for reasons; other codes are shown as they are.
public enum Languages {
    static let names: [String: (en: String, nl: String)] = [
        "nl": ("Dutch", "Nederlands"), "fr": ("French", "Frans"), "de": ("German", "Duits"), "en": ("English", "Engels"),
        "it": ("Italian", "Italiaans"), "es": ("Spanish", "Spaans"), "pt": ("Portuguese", "Portugees"),
        "el": ("Greek", "Grieks"), "lv": ("Latvian", "Lets"), "lt": ("Lithuanian", "Litouws"), "et": ("Estonian", "Estisch"),
        "fi": ("Finnish", "Fins"), "sv": ("Swedish", "Zweeds"), "da": ("Danish", "Deens"), "no": ("Norwegian", "Noors"),
        "pl": ("Polish", "Pools"), "cs": ("Czech", "Tsjechisch"), "sk": ("Slovak", "Slowaaks"), "hu": ("Hungarian", "Hongaars"),
        "ro": ("Romanian", "Roemeens"), "bg": ("Bulgarian", "Bulgaars"), "hr": ("Croatian", "Kroatisch"), "sl": ("Slovenian", "Sloveens"),
        "ar": ("Arabic", "Arabisch"), "tr": ("Turkish", "Turks"), "uk": ("Ukrainian", "Oekraïens"), "ru": ("Russian", "Russisch"),
        "ti": ("Tigrinya", "Tigrinya"), "so": ("Somali", "Somalisch"), "fa": ("Persian", "Perzisch"), "ps": ("Pashto", "Pasjtoe"),
    ]

    public static func name(_ code: String, in language: String) -> String {
        guard let n = names[code.lowercased()] else { return code }
        return language == "nl" ? n.nl : n.en
    }
}
