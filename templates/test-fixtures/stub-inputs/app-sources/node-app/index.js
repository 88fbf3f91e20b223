console.log("stub node-app");
