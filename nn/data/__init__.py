"""nn.data: data sets and batching, as ``torch.utils.data``, with toy data sets for
teaching and readers for the MNIST/Fashion-MNIST IDX files."""
from .bootstrap import bootstrap
from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from .fashion_mnist import FASHION_MNIST_CLASSES, DataUnavailableError, load_fashion_mnist
from .idx import IDXError, read_idx, write_idx
from .toy import circles, moons, spirals, xor
from . import transforms
