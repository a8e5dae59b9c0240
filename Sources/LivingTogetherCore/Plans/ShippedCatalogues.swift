import Foundation

/// The catalogues that ship with the platform, as JSON files in `Resources/Catalogues`.
public enum Catalogues {
    public static func url(of name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources/Catalogues")
    }
}
