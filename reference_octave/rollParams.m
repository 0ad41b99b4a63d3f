function Thetas = rollParams(nn_params, layer_sizes)
  % ROLLPARAMS  Inverse of unrollParams: Thetas{l} has size
  %   layer_sizes(l+1) x (layer_sizes(l) + 1), filled column-major from nn_params.
  L = numel(layer_sizes) - 1;
  Thetas = cell(1, L);
  offset = 0;
  for l = 1:L
    rows = layer_sizes(l + 1);
    cols = layer_sizes(l) + 1;
    Thetas{l} = reshape(nn_params(offset + (1:rows * cols)), rows, cols);
    offset = offset + rows * cols;
  end
  if offset != numel(nn_params)
    error('rollParams: nn_params has %d elements, layer sizes need %d', numel(nn_params), offset);
  end
end
