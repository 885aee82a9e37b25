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
    /// <summary>A ReLU MLP on Fourier features [sin Bx, cos Bx] (Tancik et al. 2020): random Gaussian
    /// frequencies or NeRF's positional encoding (<see cref="FourierEncoding"/>).</summary>
    FourierFeatures = 4,
}

/// <summary>The frequencies of the <see cref="BackboneKind.FourierFeatures"/> encoding.</summary>
public enum FourierEncoding
{
    /// <summary>Random Gaussian frequencies: B = 2π·N(0, σ²), σ = <see cref="InrOptions.FourierScale"/> cycles per
    /// coordinate unit (Tancik et al. 2020).</summary>
    Gaussian = 0,
    /// <summary>NeRF's positional encoding (Mildenhall et al. 2020): every axis at π·2ᵏ, k = 0 … L − 1, with
    /// L = <see cref="InrOptions.FourierOctaves"/>; the last octave reaches the Nyquist frequency of 2^L samples
    /// across [-1, 1] (<see cref="FourierFeaturesBackbone.NyquistOctaves"/>).</summary>
    Positional = 1,
}
