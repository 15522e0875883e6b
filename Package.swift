// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ftservices",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ftservices", targets: ["ftservices"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        /// The executable: one `@main` file that hands over to the CLI module.
        .executableTarget(
            name: "ftservices",
            dependencies: ["FTServicesCLI"],
            swiftSettings: swiftSettings
        ),
        /// Subcommands, option groups, progress display and output formatting: wiring only.
        .target(
            name: "FTServicesCLI",
            dependencies: [
                "FTServicesCore", "FTServicesKit", "FTServicesNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The stack model, config decoding and validation, renderers and plans. Pure: never prints or spawns.
        .target(
            name: "FTServicesCore",
            dependencies: [
                "Yams",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        /// What the commands call, by role: setup, verify, crashtest, status; the Docker Engine API client, Swarm and
        /// Kubernetes adapters, images, secrets, the state store and the process runner.
        .target(
            name: "FTServicesKit",
            dependencies: [
                "FTServicesCore", "FTServicesNet", "CCrypto",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The system libcurl, with typed shims for its variadic setopt.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        /// The system libcrypto (OpenSSL, which libcurl already loads): SHA-256 over backup archives, several
        /// times faster than the Swift one in Core, which keeps hashing the small things.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        /// A small Swift wrapper over libcurl: HTTP(S), HTTP over a Unix socket, FTPS, SFTP, raw TCP.
        .target(
            name: "FTServicesNet",
            dependencies: ["CCurl"],
            swiftSettings: swiftSettings
        ),
        /// Helpers the test targets share: local Python servers, temporary files, test certificates.
        .target(
            name: "FTServicesTestSupport",
            path: "Tests/FTServicesTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FTServicesCoreTests",
            dependencies: ["FTServicesCore", "Yams"],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FTServicesNetTests",
            dependencies: ["FTServicesNet", "FTServicesTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FTServicesKitTests",
            dependencies: ["FTServicesKit", "FTServicesNet", "FTServicesTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FTServicesCLITests",
            dependencies: ["FTServicesCLI", "FTServicesCore", "FTServicesKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FTServicesEndToEndTests",
            dependencies: ["FTServicesCore", "FTServicesNet", "FTServicesKit"],
            swiftSettings: swiftSettings
        ),
    ]
)
