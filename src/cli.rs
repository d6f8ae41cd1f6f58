pub fn run(_args: std::env::ArgsOs) -> i32 { 0 }
