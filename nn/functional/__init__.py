"""nn.functional: the layers and losses as plain functions of tensors, with the names
and signatures of ``torch.nn.functional``.

Each family lives in its own file; this package re-exports them all.
"""
from .activation import (
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    logsigmoid,
    relu,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from .distance import cosine_similarity, normalize, pairwise_distance
from .dropout import dropout
from .embedding import embedding, one_hot
from .linear import linear
from .loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    perceptron_loss,
    soft_margin_loss,
)
from .normalization import batch_norm, group_norm, layer_norm

# Convolution, pooling and recurrent functions are imported below, one line per family.
from .conv import conv1d, conv2d
from .pooling import adaptive_avg_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .rnn import gru_cell, lstm_cell, rnn_relu_cell, rnn_tanh_cell

# Padding is the engine's own op (every PyTorch mode: constant, reflect, replicate, circular).
from autograd_core import pad
