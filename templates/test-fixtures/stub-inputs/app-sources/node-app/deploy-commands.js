console.log("stub deploy-commands");
