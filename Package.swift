// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LivingTogether",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "livingtogether", targets: ["livingtogether"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
    ],
    targets: [
        // The domain: plain Swift values and functions. Imports neither Vapor nor Fluent.
        .target(
            name: "LivingTogetherCore",
            path: "Sources/LivingTogetherCore",
            resources: [.copy("Resources")]
        ),
        // The web application: configuration, routes, controllers, models, migrations, views, API.
        .target(
            name: "LivingTogetherApp",
            dependencies: [
                "LivingTogetherCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            path: "Sources/LivingTogetherApp",
            resources: [.copy("Resources")]
        ),
        // The thin executable: entry point only.
        .executableTarget(
            name: "livingtogether",
            dependencies: ["LivingTogetherApp"],
            path: "Sources/livingtogether"
        ),
        // The mentoring benchmark (benchmarks/matching.sh): suggestions and optimal assignment, domain only.
        .executableTarget(
            name: "matching-bench",
            dependencies: ["LivingTogetherCore"],
            path: "Sources/matching-bench"
        ),
        .testTarget(
            name: "LivingTogetherCoreTests",
            dependencies: ["LivingTogetherCore"],
            path: "Tests/LivingTogetherCoreTests"
        ),
        .testTarget(
            name: "LivingTogetherAppTests",
            dependencies: [
                "LivingTogetherApp",
                "LivingTogetherCore",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            path: "Tests/LivingTogetherAppTests"
        ),
    ]
)
