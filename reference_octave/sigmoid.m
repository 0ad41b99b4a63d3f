function g = sigmoid(z)
  % SIGMOID  Logistic function g(z) = 1 ./ (1 + exp(-z)), element-wise.
  %   The literal course formula: exp(-z) overflows to Inf for z < about -709,
  %   which gives the correct limit 0.
  g = 1 ./ (1 + exp(-z));
end
