namespace IINR.Trainers.Backbones;

/// <summary>The coordinate network that maps coordinates to signal values.</summary>
public enum BackboneKind
{
    /// <summary>SIREN: sine activations sin(ω0·(Wx + b)) (Sitzmann et al. 2020).</summary>
    Siren = 0,
    /// <summary>WIRE: complex Gabor wavelets exp(iω0z − |s0·z|²) (Saragadam et al. 2023).</summary>
    Wire = 1,
    /// <summary>Gaussian activations exp(−(s·z)²) (Ramasinghe and Lucey 2022).</summary>
    Gauss = 2,
    /// <summary>FINER: variable-periodic sines sin(ω0·(|z| + 1)·z) (Liu et al. 2024).</summary>
    Finer = 3,
    /// <summary>A ReLU MLP on random Fourier features [sin 2πBx, cos 2πBx] (Tancik et al. 2020).</summary>
    FourierFeatures = 4,
}
