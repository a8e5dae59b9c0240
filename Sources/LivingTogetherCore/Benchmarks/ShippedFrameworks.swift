import Foundation

/// The frameworks that ship with the platform, as JSON files in `Resources/Benchmarks`.
public enum ShippedFrameworks {
    /// Every shipped framework, validated; the problems of every broken file are reported with its file and path.
    public static func load() -> Result<[Framework], FrameworkProblems> {
        ShippedContent.load(folder: "Benchmarks", FrameworkLoader.load)
    }
}
