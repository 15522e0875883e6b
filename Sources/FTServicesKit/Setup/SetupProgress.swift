/// Receives the progress of `setup` (the CLI's display implements it).
public protocol SetupProgress: Sendable {
    /// A new step begins ("Building images").
    func phase(_ title: String)
    /// A line of information.
    func note(_ text: String)
    func image(_ event: ImageBuildEvent)
    func service(_ progress: ServiceProgress, changed: Bool)
    /// The current step's live table is complete.
    func finish()
}
