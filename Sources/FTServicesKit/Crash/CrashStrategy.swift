import FTServicesCore

/// How `crashtest` crashes in one ``CrashMode``: ``KillCrash``, ``RedeployCrash``, ``EngineRestartCrash``.
/// A strategy gets the steps it shares with the others (``CrashSteps``) when it is made, so it never asks
/// the ``CrashTester`` that chose it.
protocol CrashStrategy: Sendable {
    /// Crashes `targets` the mode's way and reports every run, in order; `progress` gets one line per step.
    /// A crash that goes wrong is a problem of its run; throws only when the mode cannot run at all.
    func crash(_ targets: [CrashTarget], options: CrashTester.Options,
               progress: @escaping @Sendable (String) -> Void) async throws -> [CrashRun]
}
