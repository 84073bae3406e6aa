import ArgumentParser
import MKTAdapter

/// The adapter's shape, perturbation, loss and temperature (TaI-Adapter), with the library's
/// defaults.
struct AdapterOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "σ of the Gaussian perturbation of the training embeddings (0: none).")
    var sigma = AdapterConfiguration().sigma
    @Option(help: "How σ is scaled: relative (noise norm ≈ σ·‖x‖) or absolute (per-coordinate std).")
    var sigmaScale = AdapterConfiguration().sigmaScale
    @Option(parsing: .unconditional, help: "Bottleneck reduction r: hidden width D/r.") var reduction = AdapterConfiguration().reduction
    @Option(parsing: .unconditional, help: "Residual ratio α of h = x + α·MLP(x).") var alpha = AdapterConfiguration().alpha
    @Flag(inversion: .prefixedNo, help: "L2-normalise embeddings before the adapter.") var normalize = AdapterConfiguration().normalizeInput
    @Option(help: "The loss: ranking, bce or asymmetric.") var loss = AdapterConfiguration().loss
    @Option(parsing: .unconditional, help: "τ of the scores τ·cos(A(x), w_c).") var logitScale = AdapterConfiguration().logitScale

    func validate() throws {
        try OptionCheck.number("--sigma", sigma, atLeast: 0)
        try OptionCheck.integer("--reduction", reduction, atLeast: 1)
        try OptionCheck.number("--alpha", alpha, atLeast: -1_000)
        try OptionCheck.number("--logit-scale", logitScale, greaterThan: 0)
    }

    /// Sets these options in `settings`.
    func apply(to settings: inout AdapterConfiguration) {
        (settings.sigma, settings.sigmaScale, settings.reduction, settings.alpha) = (sigma, sigmaScale, reduction, alpha)
        (settings.normalizeInput, settings.loss, settings.logitScale) = (normalize, loss, logitScale)
    }
}

extension AdapterLoss: ExpressibleByArgument {}
extension PerturbationScale: ExpressibleByArgument {}
