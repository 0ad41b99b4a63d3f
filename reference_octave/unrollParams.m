function nn_params = unrollParams(Thetas)
  % UNROLLPARAMS  [Theta1(:); Theta2(:); ...] for a cell array of weight matrices.
  nn_params = zeros(0, 1);
  for l = 1:numel(Thetas)
    nn_params = [nn_params; Thetas{l}(:)];
  end
end
