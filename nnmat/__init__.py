"""nnmat: the course's ex4 neural network in vectorized numpy/scipy, checked against Octave.

The public functions keep the course's names and conventions: parameters unrolled
column-major (``[Theta1(:); Theta2(:)]``), an explicit bias column 0 in every Theta,
and labels 1..K.
"""

from .activations import sigmoid, sigmoidGradient
from .gradcheck import GradientCheck, check_gradients, checkNNGradients, computeNumericalGradient
from .initialization import debugInitializeWeights, randInitializeWeights
from .network import nnCostFunction, predict
from .params import rollParams, unrollParams
from .shapes import ShapeTrace, shape_trace
from .testing import assert_gradients_match
from .training import ConvergenceWarning, trainNN

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "GradientCheck",
    "ShapeTrace",
    "assert_gradients_match",
    "checkNNGradients",
    "check_gradients",
    "computeNumericalGradient",
    "debugInitializeWeights",
    "nnCostFunction",
    "predict",
    "randInitializeWeights",
    "rollParams",
    "shape_trace",
    "sigmoid",
    "sigmoidGradient",
    "trainNN",
    "unrollParams",
]
