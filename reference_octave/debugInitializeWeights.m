function W = debugInitializeWeights(fan_out, fan_in)
  % DEBUGINITIALIZEWEIGHTS  Deterministic fan_out x (1 + fan_in) weights:
  %   sin(1), sin(2), ... laid out column-major, divided by 10.
  W = reshape(sin(1:fan_out * (1 + fan_in)), fan_out, 1 + fan_in) / 10;
end
